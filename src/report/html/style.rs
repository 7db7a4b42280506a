//! The style sheet every HTML report carries inline: fonts the reader's system has, tables
//! that scroll sideways on a narrow screen rather than overflow, status colours that print,
//! and a print layout that keeps each indicator on one page where it fits.

/// The style sheet. Matrices print on landscape pages of their own where the browser knows
/// named pages; elsewhere they print in small type and may be cut at the page's edge.
pub const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem; color: #1b1b1f; background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 2px solid #d7d7de; }
h3 { font-size: 1.05rem; margin: 0 0 0.5rem; }
h4 { font-size: 0.95rem; margin: 0.8rem 0 0.3rem; color: #45454f; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.85em;
  color: #45454f; }
h3 code { font-weight: normal; }
th code { display: block; font-weight: normal; }
a { color: inherit; }
p { margin: 0.4rem 0; }
dl { margin: 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; }
.facts dt { color: #55555f; }
.facts dd { margin: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; margin: 0.3rem 0 0.5rem; }
.figures dt { font-size: 0.8rem; color: #55555f; }
.figures dd { margin: 0; font-size: 1.05rem; }
.figures .value { font-size: 1.4rem; font-weight: 600; }
.indicator { border: 1px solid #d7d7de; border-radius: 6px; padding: 0.8rem 1rem; margin: 0.8rem 0; }
.summary { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
.scroll { overflow-x: auto; max-width: 100%; margin: 0.4rem 0; }
table { border-collapse: collapse; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
th, td { border-bottom: 1px solid #e3e3e8; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #c4c4cc; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.by th { font-weight: normal; font-style: italic; color: #55555f; }
tr.group th { font-weight: normal; padding-left: 1.6rem; }
.matrix th[scope="row"] { position: sticky; left: 0; background: #fff; min-width: 12rem; }
.matrix td.cell { white-space: nowrap; text-align: right; font-variant-numeric: tabular-nums; }
td.missing, .matrix td.cell.missing { white-space: normal; font-style: italic; min-width: 7rem; }
.figures .value.missing { font-size: 1.05rem; font-style: italic; font-weight: normal; }
.cell .word { display: block; font-size: 0.8em; }
.note { display: block; font-size: 0.85em; color: #55555f; }
.badge { display: inline-block; padding: 0.05rem 0.55rem; border: 1px solid; border-radius: 999px;
  font-size: 0.85rem; font-weight: 600; white-space: nowrap; }
.st-green { background: #dcf2e3; border-color: #1e7b3a; color: #0f4d22; }
.st-amber { background: #fdefcf; border-color: #a86400; color: #623a00; }
.st-red { background: #fadbd8; border-color: #b3261e; color: #7a1510; }
.st-insufficient { background: #ebebf2; border-color: #5c5c7a; border-style: dashed; color: #33334d; }
.st-other { background: #f0f0f2; border-color: #6a6a74; color: #25252b; }
.st-none { background: #fff; border-color: #8a8a94; border-style: dotted; color: #45454f; }
/* Cells of a matrix are set apart by white lines, as in a heat map. */
.matrix td.cell { border: 1px solid #fff; }
.spark { display: block; }
.spark path { fill: none; stroke: #3a4a8c; stroke-width: 1.5; stroke-linejoin: round; }
.spark circle { fill: #3a4a8c; }
.spark circle.last { fill: #fff; stroke: #3a4a8c; stroke-width: 1.5; }
.warnings li { margin: 0.2rem 0; }
footer { margin-top: 2rem; font-size: 0.8rem; color: #6a6a74; }
@media (max-width: 40rem) {
  body { padding: 0.6rem; font-size: 14px; }
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: 0.3rem; }
  .matrix th[scope="row"] { min-width: 8rem; }
}
@page wide { size: landscape; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .scroll { overflow: visible; }
  .matrix th[scope="row"] { position: static; min-width: 0; }
  section.wide { page: wide; }
  .matrix { font-size: 7pt; }
  .matrix th, .matrix td { padding: 1pt 2.5pt; }
  .matrix td.cell { white-space: normal; }
  .spark { width: 54px; height: 13px; }
  .indicator, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { text-decoration: none; }
}
"#;
