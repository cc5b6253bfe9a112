//! Charts drawn on the server as SVG: plain bars with an optional target line, sized by
//! the viewBox so they scale to a phone and print in black and white. Every chart has a
//! title and a description for screen readers; pages put a table of the same numbers
//! beside it.

use handlebars::html_escape;

pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Shown above the bar (the value formatted for people).
    pub text: String,
}

pub struct BarChart<'a> {
    pub id: &'a str,
    /// For the axis numbers' decimal separator.
    pub lang: crate::i18n::Lang,
    pub title: &'a str,
    pub description: &'a str,
    pub bars: Vec<Bar>,
    /// A horizontal target line, with its label.
    pub target: Option<(f64, String)>,
    /// The top of the scale; at least the largest value and the target.
    pub max: Option<f64>,
}

const W: f64 = 640.0;
const H: f64 = 300.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 64.0;
const TOP: f64 = 28.0;

fn num(x: f64) -> String {
    format!("{:.1}", x)
}

impl BarChart<'_> {
    pub fn svg(&self) -> String {
        let top_value = self
            .bars
            .iter()
            .map(|b| b.value)
            .chain(self.target.as_ref().map(|t| t.0))
            .chain(self.max)
            .fold(0.0_f64, f64::max)
            .max(1.0);
        let plot_h = H - TOP - BOTTOM;
        let plot_w = W - LEFT - 12.0;
        let y = |v: f64| TOP + plot_h - (v / top_value) * plot_h;
        let n = self.bars.len().max(1) as f64;
        let slot = plot_w / n;
        let bar_w = (slot * 0.6).min(80.0);
        let id = html_escape(self.id);
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" preserveAspectRatio=\"xMidYMid meet\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            html_escape(self.title),
            html_escape(self.description)
        );
        // Axis and a few grid lines.
        for k in 0..=4 {
            let v = top_value * k as f64 / 4.0;
            let yy = num(y(v));
            s.push_str(&format!(
                "<line x1=\"{LEFT}\" y1=\"{yy}\" x2=\"{}\" y2=\"{yy}\" class=\"grid\" stroke=\"#d5dbe1\" stroke-width=\"1\"/>\
<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"end\" font-size=\"12\" fill=\"#333\">{}</text>",
                num(W - 12.0),
                num(LEFT - 6.0),
                num(y(v) + 4.0),
                html_escape(&format_tick(v, self.lang))
            ));
        }
        for (i, b) in self.bars.iter().enumerate() {
            let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
            let top = y(b.value.max(0.0));
            s.push_str(&format!(
                "<g class=\"bar\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#0b5cab\"/>\
<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" fill=\"#111\">{}</text>\
<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333\">{}</text></g>",
                num(x),
                num(top),
                num(bar_w),
                num((TOP + plot_h - top).max(0.0)),
                num(x + bar_w / 2.0),
                num(top - 6.0),
                html_escape(&b.text),
                num(x + bar_w / 2.0),
                num(TOP + plot_h + 18.0),
                html_escape(&shorten(&b.label, (slot / 7.0) as usize))
            ));
        }
        if let Some((v, label)) = &self.target {
            let yy = num(y(*v));
            s.push_str(&format!(
                "<g class=\"target\"><line x1=\"{LEFT}\" y1=\"{yy}\" x2=\"{}\" y2=\"{yy}\" stroke=\"#b3261e\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\
<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" fill=\"#b3261e\">{}</text></g>",
                num(W - 12.0),
                num(W - 12.0),
                num(y(*v) - 6.0),
                html_escape(label)
            ));
        }
        s.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\" stroke-width=\"1\"/></svg>",
            num(TOP + plot_h),
            num(W - 12.0),
            num(TOP + plot_h)
        ));
        s
    }
}

fn format_tick(v: f64, lang: crate::i18n::Lang) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        crate::i18n::format_decimal(lang, v, 1)
    }
}

fn shorten(s: &str, max: usize) -> String {
    let max = max.max(4);
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_escape_text() {
        let c = BarChart {
            id: "c",
            lang: crate::i18n::Lang::En,
            title: "Kontaktit <viikko>",
            description: "a & b",
            bars: vec![
                Bar {
                    label: "Anna".into(),
                    value: 3.0,
                    text: "3".into(),
                },
                Bar {
                    label: "Ville".into(),
                    value: 6.0,
                    text: "6".into(),
                },
            ],
            target: Some((6.0, "tavoite 6".into())),
            max: None,
        }
        .svg();
        assert!(c.starts_with("<svg") && c.ends_with("</svg>"));
        assert!(c.contains("Kontaktit &lt;viikko&gt;") && c.contains("a &amp; b"));
        assert_eq!(c.matches("<rect").count(), 2);
        // The 6 reaches the top of the plot (y = TOP).
        assert!(c.contains("y=\"28.0\" width"), "{c}");
    }
}
