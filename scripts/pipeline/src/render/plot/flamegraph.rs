//! A flame graph drawn by inferno from folded stacks.

use std::str::FromStr;

use inferno::flamegraph::color::{BackgroundColor, parse_hex_color};

use crate::format::{self, html};

/// The dark themes' page background and text colour (mdBook's `navy`), for the dark drawing.
const DARK_BACKGROUND: &str = "#161923";
const DARK_TEXT: &str = "#bcbdd0";

/// The flame graph as images: inferno's SVG carries its own styles, script and element ids,
/// which must not meet the page's, so it is embedded as a data URI rather than inline, and as
/// an image it cannot take the page's colours, so it is drawn twice, on a light background
/// and on the dark themes' background; the book's stylesheet shows the one that fits the
/// theme. Colours come from a hash of each frame's name, so the same stacks always give the
/// same bytes. The images are named by the figure's title and described by `<anchor>-desc`.
pub(super) fn img(title: &str, stacks: &str, anchor: &str) -> String {
    let mut out = Vec::new();
    for dark in [false, true] {
        let mut opts = inferno::flamegraph::Options::default();
        opts.title = String::new();
        opts.count_name = "samples".into();
        opts.hash = true;
        opts.deterministic = true;
        opts.no_javascript = true;
        opts.image_width = Some(1200);
        if dark {
            opts.bgcolors = BackgroundColor::from_str(DARK_BACKGROUND).ok();
            if let Some(c) = parse_hex_color(DARK_TEXT) {
                opts.uicolor = c;
            }
        }
        let mut svg = Vec::new();
        if let Err(e) = inferno::flamegraph::from_lines(&mut opts, stacks.lines(), &mut svg) {
            return format!(
                "<p class=\"figure-error\">inferno could not draw this flame graph: {}</p>",
                html(&e.to_string())
            );
        }
        out.push(format!(
            "<img class=\"flamegraph flamegraph-{}\" alt=\"{}\" aria-describedby=\"{anchor}-desc\" src=\"data:image/svg+xml;base64,{}\">",
            if dark { "dark" } else { "light" },
            html(title),
            format::base64(&svg)
        ));
    }
    out.join("\n")
}
