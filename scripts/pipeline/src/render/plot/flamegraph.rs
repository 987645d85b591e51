//! A flame graph drawn by inferno from folded stacks.

use crate::format::{self, html};

/// The flame graph as an image: inferno's SVG carries its own styles, script and element ids,
/// which must not meet the page's, so it is embedded as a data URI rather than inline. Colours
/// come from a hash of each frame's name, so the same stacks always give the same bytes.
pub(super) fn img(title: &str, stacks: &str) -> String {
    let mut opts = inferno::flamegraph::Options::default();
    opts.title = String::new();
    opts.count_name = "samples".into();
    opts.hash = true;
    opts.deterministic = true;
    opts.no_javascript = true;
    opts.image_width = Some(1200);
    let mut svg = Vec::new();
    if let Err(e) = inferno::flamegraph::from_lines(&mut opts, stacks.lines(), &mut svg) {
        return format!(
            "<p class=\"figure-error\">inferno could not draw this flame graph: {}</p>",
            html(&e.to_string())
        );
    }
    format!(
        "<img class=\"flamegraph\" alt=\"{}\" src=\"data:image/svg+xml;base64,{}\">",
        html(title),
        format::base64(&svg)
    )
}
