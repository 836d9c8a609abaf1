//! Checking a batch: each file's facts reused from the store or probed (in worker processes, in
//! this process, or by a test's fake), evaluated as each finishes, and kept in input order.

pub mod batch;
pub mod pool;
pub mod prober;
pub mod store;
pub mod worker;
