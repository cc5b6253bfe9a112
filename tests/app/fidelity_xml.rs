//! Checks that a document is well-formed XML with an independent parser (Python's
//! standard library), as charts must be.

use std::io::Write;
use std::process::{Command, Stdio};

pub fn well_formed(doc: &str) {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg("import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(doc.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "not well-formed XML: {}\n{doc}",
        String::from_utf8_lossy(&out.stderr)
    );
}
