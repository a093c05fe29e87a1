fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_contract::LANGUAGE.into())
        .unwrap();
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let tree = parser.parse(&text, None).unwrap();
        let el = t.elapsed();
        println!(
            "{} bytes in {:?}: {:.1} MB/s, err={}",
            text.len(),
            el,
            text.len() as f64 / el.as_secs_f64() / 1e6,
            tree.root_node().has_error()
        );
    }
}
