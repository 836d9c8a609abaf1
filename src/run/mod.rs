//! Checking a batch: each file's facts reused from the store or read by a prober (in worker
//! processes, in this process, or a test's fake), evaluated as each finishes, and kept in input
//! order.

pub mod batch;
#[cfg(test)]
pub mod fake;
pub mod in_process;
pub mod pool;
pub mod prober;
pub mod store;
#[cfg(test)]
pub mod test_films;
pub mod watching;
pub mod worker;
