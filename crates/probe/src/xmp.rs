//! XMP read as what it is: RDF/XML (ISO 16684-1). A property is named by its namespace URI and
//! local name, never by the prefix a writer chose (`xmp:` and `xap:` are both
//! `http://ns.adobe.com/xap/1.0/`; `Iptc4xmpExt:` and `iptcExt:` both the IPTC Extension's), and
//! it may be written in any of RDF's forms: an attribute of `rdf:Description` (or of an
//! `rdf:li` holding a struct), an element with text, an element with `rdf:resource="…"` (IPTC's
//! digital source type is a URI), an `rdf:Bag`/`rdf:Seq`/`rdf:Alt` of `rdf:li`, or a value with
//! qualifiers (`rdf:value`). Each of these forms is read.
//!
//! The parser refuses DTDs, so no entity is ever expanded (XMP has no use for either), and a
//! packet is read only up to a size and a number of nodes.

use roxmltree::{Document, Node, ParsingOptions};

/// A packet larger than this is not read: XMP that size is not metadata anyone writes.
pub const MAX_PACKET_BYTES: usize = 4 << 20;
/// Nodes a packet may have; a packet within the size may still hold millions of tiny elements.
const MAX_NODES: u32 = 250_000;
/// Nesting of arrays, structs and qualifiers followed inside one property.
const MAX_NESTING: usize = 16;

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// IPTC Photo Metadata, Extension schema: `DigitalSourceType`.
pub const IPTC_EXT: &str = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
/// XMP basic schema: `CreatorTool`.
pub const XMP_BASIC: &str = "http://ns.adobe.com/xap/1.0/";
/// XMP's ResourceEvent type, the events of `xmpMM:History`: `softwareAgent`.
pub const RESOURCE_EVENT: &str = "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#";

/// What a packet says about how the file was made, each value once, in document order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Properties {
    /// IPTC digital source types as written (a URI or a bare code).
    pub digital_source_types: Vec<String>,
    pub creator_tools: Vec<String>,
    /// The `softwareAgent` of every resource event (the history, and the histories of the
    /// documents a pantry holds).
    pub software_agents: Vec<String>,
}

/// Reads one packet (from `<?xpacket begin` or `<x:xmpmeta` to its end). The error is a reason
/// a person can read: not well-formed XML, a DTD, too large.
pub fn parse(text: &str) -> Result<Properties, String> {
    if text.len() > MAX_PACKET_BYTES {
        return Err(format!(
            "larger than {} MB, which no metadata is: not read",
            MAX_PACKET_BYTES >> 20
        ));
    }
    // Writers pad packets, some with NULs, and may start them with a byte order mark; neither
    // is XML.
    let text = text
        .trim_start_matches('\u{feff}')
        .trim_matches(|c: char| c == '\0' || c.is_ascii_whitespace());
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => {
            "it declares a DTD (<!DOCTYPE …>), which XMP never needs: refused, and no entity \
             expanded"
                .to_string()
        }
        roxmltree::Error::NodesLimitReached => {
            format!("more than {MAX_NODES} XML nodes, which no metadata has: not read")
        }
        // The parser quotes the packet's own characters, line breaks included: a reason is
        // one line.
        e => format!("not well-formed XML ({})", one_line(&e.to_string())),
    })?;
    let mut found = Properties::default();
    for node in doc.descendants().filter(Node::is_element) {
        for a in node.attributes() {
            if let Some(list) = found.list(a.namespace(), a.name()) {
                push(list, a.value());
            }
        }
        let name = node.tag_name();
        if found.list(name.namespace(), name.name()).is_some() {
            let mut values = Vec::new();
            values_of(node, 0, &mut values);
            if let Some(list) = found.list(name.namespace(), name.name()) {
                for v in values {
                    push(list, &v);
                }
            }
        }
    }
    Ok(found)
}

impl Properties {
    /// The list a property (namespace URI, local name) goes to, if it is one that is read.
    fn list(&mut self, namespace: Option<&str>, name: &str) -> Option<&mut Vec<String>> {
        match (namespace?, name) {
            (IPTC_EXT, "DigitalSourceType") => Some(&mut self.digital_source_types),
            (XMP_BASIC, "CreatorTool") => Some(&mut self.creator_tools),
            (RESOURCE_EVENT, "softwareAgent") => Some(&mut self.software_agents),
            _ => None,
        }
    }
}

/// The values of a property element in each of RDF's forms: `rdf:resource`, text, an array's
/// items, a qualified value's `rdf:value`, a struct's `rdf:value`.
fn values_of(node: Node<'_, '_>, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_NESTING {
        return;
    }
    for attr in ["resource", "value"] {
        if let Some(v) = node.attribute((RDF, attr)) {
            out.push(v.to_string());
        }
    }
    let mut elements = node.children().filter(Node::is_element).peekable();
    if elements.peek().is_none() {
        let text: String = node
            .children()
            .filter(Node::is_text)
            .filter_map(|t| t.text())
            .collect();
        out.push(text);
        return;
    }
    for child in elements {
        let name = child.tag_name();
        if name.namespace() != Some(RDF) {
            // A struct's field or a qualifier (`xml:lang` is an attribute): another property.
            continue;
        }
        match name.name() {
            "Bag" | "Seq" | "Alt" => {
                for li in child.children().filter(|n| {
                    n.tag_name().namespace() == Some(RDF) && n.tag_name().name() == "li"
                }) {
                    values_of(li, depth + 1, out);
                }
            }
            "value" | "Description" => values_of(child, depth + 1, out),
            _ => {}
        }
    }
}

/// Control characters (a quoted line break, a NUL) as escapes.
fn one_line(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

fn push(list: &mut Vec<String>, value: &str) {
    let v = value.trim();
    if !v.is_empty() && !list.iter().any(|x| x == v) {
        list.push(v.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AI: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    fn packet(ns: &str, body: &str) -> String {
        format!(
            r#"<?xpacket begin="﻿" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" {ns}>{body}</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"#
        )
    }

    fn dst(ns: &str, body: &str) -> Vec<String> {
        parse(&packet(ns, body))
            .unwrap_or_else(|e| panic!("{e}"))
            .digital_source_types
    }

    #[test]
    fn every_form_of_a_property_is_read() {
        let iptc = r#"xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/""#;
        let other = r#"xmlns:iptcExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/""#;
        let forms = [
            (
                "attribute",
                format!(r#"<rdf:Description Iptc4xmpExt:DigitalSourceType="{AI}"/>"#),
                iptc,
            ),
            (
                "element",
                format!("<Iptc4xmpExt:DigitalSourceType>\n  {AI}\n</Iptc4xmpExt:DigitalSourceType>"),
                iptc,
            ),
            (
                "rdf:resource",
                format!(r#"<Iptc4xmpExt:DigitalSourceType rdf:resource="{AI}"/>"#),
                iptc,
            ),
            (
                "another prefix",
                format!("<iptcExt:DigitalSourceType>{AI}</iptcExt:DigitalSourceType>"),
                other,
            ),
            (
                "default namespace",
                format!(
                    r#"<DigitalSourceType xmlns="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">{AI}</DigitalSourceType>"#
                ),
                "",
            ),
            (
                "bag",
                format!(
                    "<Iptc4xmpExt:DigitalSourceType><rdf:Bag><rdf:li>{AI}</rdf:li></rdf:Bag></Iptc4xmpExt:DigitalSourceType>"
                ),
                iptc,
            ),
            (
                "alt of resources",
                format!(
                    r#"<Iptc4xmpExt:DigitalSourceType><rdf:Alt><rdf:li xml:lang="x-default" rdf:resource="{AI}"/></rdf:Alt></Iptc4xmpExt:DigitalSourceType>"#
                ),
                iptc,
            ),
            (
                "qualified value",
                format!(
                    r#"<Iptc4xmpExt:DigitalSourceType rdf:parseType="Resource"><rdf:value>{AI}</rdf:value></Iptc4xmpExt:DigitalSourceType>"#
                ),
                iptc,
            ),
            (
                "attribute of the description itself",
                String::new(),
                "xmlns:e=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\" e:DigitalSourceType=\"http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia\"",
            ),
        ];
        for (form, body, ns) in forms {
            assert_eq!(dst(ns, &body), vec![AI.to_string()], "{form}");
        }
        // A prefix named like IPTC's but bound to another namespace is another property.
        let impostor = r#"xmlns:Iptc4xmpExt="http://example.com/not-iptc/""#;
        let body = format!(r#"<rdf:Description Iptc4xmpExt:DigitalSourceType="{AI}"/>"#);
        assert!(dst(impostor, &body).is_empty());
    }

    #[test]
    fn creator_tool_and_history_in_any_prefix_and_form() {
        let x = parse(&packet(
            r#"xmlns:xap="http://ns.adobe.com/xap/1.0/" xmlns:xapMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:evt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#""#,
            r#"<xap:CreatorTool><rdf:Alt><rdf:li xml:lang="x-default">OpenAI Sora</rdf:li></rdf:Alt></xap:CreatorTool>
<xapMM:History><rdf:Seq>
  <rdf:li evt:action="saved" evt:softwareAgent="Adobe Premiere Pro 2024"/>
  <rdf:li rdf:parseType="Resource"><evt:action>saved</evt:action><evt:softwareAgent>Runway Gen-3</evt:softwareAgent></rdf:li>
  <rdf:li><rdf:Description evt:softwareAgent="Adobe Premiere Pro 2024"/></rdf:li>
</rdf:Seq></xapMM:History>"#,
        ))
        .unwrap();
        assert_eq!(x.creator_tools, vec!["OpenAI Sora"]);
        assert_eq!(
            x.software_agents,
            vec!["Adobe Premiere Pro 2024", "Runway Gen-3"]
        );
    }

    #[test]
    fn entities_are_never_expanded() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "trainedAlgorithmicMedia"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:I="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" I:DigitalSourceType="&c;"/></rdf:RDF></x:xmpmeta>"#;
        let e = parse(laughs).unwrap_err();
        assert!(e.contains("DTD"), "{e}");
        // An entity not declared is an error too, never text.
        let undeclared = packet(
            r#"xmlns:I="http://iptc.org/std/Iptc4xmpExt/2008-02-29/""#,
            "<I:DigitalSourceType>&ai;</I:DigitalSourceType>",
        );
        assert!(parse(&undeclared).is_err());
    }

    #[test]
    fn malformed_huge_and_crowded_packets_are_reasons() {
        for bad in [
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF>",
            "<x:xmpmeta><unbound:x/></x:xmpmeta>",
            "",
            "\u{0}\u{0}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        // Found by fuzzing: the parser's message quoted a line break of the packet.
        let quoted = b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><notgij\xdd_0/\nhe>not trained";
        let e = parse(&String::from_utf8_lossy(quoted)).unwrap_err();
        assert!(!e.contains('\n'), "{e}");
        let huge = format!("<a>{}</a>", " ".repeat(MAX_PACKET_BYTES));
        assert!(parse(&huge).unwrap_err().contains("larger than"));
        let crowded = format!("<a>{}</a>", "<b/>".repeat(MAX_NODES as usize + 1));
        assert!(parse(&crowded).unwrap_err().contains("nodes"));
        // Deep nesting is read without recursion past the bound.
        let deep = format!(
            "<r xmlns:rdf=\"{RDF}\" xmlns:I=\"{IPTC_EXT}\"><I:DigitalSourceType>{}x{}</I:DigitalSourceType></r>",
            "<rdf:Bag><rdf:li>".repeat(5000),
            "</rdf:li></rdf:Bag>".repeat(5000)
        );
        assert!(parse(&deep).is_ok_and(|p| p.digital_source_types.is_empty()));
    }
}
