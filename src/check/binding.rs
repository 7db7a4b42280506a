//! Checking `bind` declarations: a dataset declared in one file (a catalogue module, say)
//! read from another file, whose columns and categories have other names.
//!
//! A binding changes where and how rows are read, never what the programme means: the
//! measures keep reading the declared columns by their declared names and types. So a
//! binding is applied to the checked dataset before the measures are checked, and only the
//! loader sees the difference.

use std::collections::HashMap;

use crate::diagnostic::did_you_mean;
use crate::syntax::ast;
use crate::syntax::Span;

use super::types::Type;
use super::{codes, Checker};

impl Checker<'_> {
    /// Applies every binding to its dataset; a dataset is bound at most once.
    pub(super) fn bindings(&mut self, binds: &[&ast::BindDecl]) {
        let mut bound: HashMap<usize, Span> = HashMap::new();
        for bind in binds {
            let Some(d) = self
                .program
                .datasets
                .iter()
                .position(|d| d.name == bind.dataset.name)
            else {
                self.unknown_dataset(&bind.dataset);
                continue;
            };
            if let Some(first) = bound.get(&d) {
                self.repeated(
                    bind.dataset.span,
                    *first,
                    format!("dataset `{}` is bound twice", bind.dataset),
                    "bind each dataset once, with all of its columns",
                );
                continue;
            }
            bound.insert(d, bind.dataset.span);
            self.binding(d, bind);
        }
    }

    fn binding(&mut self, d: usize, bind: &ast::BindDecl) {
        if let Some(((path, span), rest)) = bind.sources.split_first() {
            for (_, extra) in rest {
                self.repeated(
                    *extra,
                    *span,
                    format!("the binding of `{}` has more than one source", bind.dataset),
                    "keep one `source`",
                );
            }
            self.source_format(path, *span);
            let dataset = &mut self.program.datasets[d];
            dataset.source = path.clone();
            dataset.source_span = *span;
        }
        if !bind.zones.is_empty() {
            let zone = self.dataset_zone(&bind.dataset, &bind.zones);
            self.program.datasets[d].zone = zone;
        }

        let mut seen: HashMap<&str, Span> = HashMap::new();
        for binding in &bind.columns {
            let name = binding.column.name.as_str();
            if let Some(first) = seen.get(name) {
                self.repeated(
                    binding.column.span,
                    *first,
                    format!("column `{name}` is bound twice"),
                    "give each column one name in the file",
                );
                continue;
            }
            seen.insert(name, binding.column.span);
            let Some(c) = self.program.datasets[d].column(name) else {
                self.unbound_column(d, &binding.column);
                continue;
            };
            let Some((file_name, _)) = &binding.file_name else {
                self.absent_column(d, c, binding);
                continue;
            };
            self.program.datasets[d].columns[c].source_name = Some(file_name.clone());
            if !binding.recode.is_empty() {
                self.recode(d, c, binding);
            }
        }
    }

    /// `column = none`: the file lacks the column, so it is missing in every row, which an
    /// optional column may be and a required one may not.
    fn absent_column(&mut self, d: usize, c: usize, binding: &ast::ColumnBinding) {
        let column = &self.program.datasets[d].columns[c];
        if !column.optional {
            let (name, ty) = (column.name.clone(), self.program.type_name(column.ty));
            let d = self
                .sources
                .error(
                    codes::BINDING,
                    binding.span,
                    format!("column `{name}` is required, so the file must have it"),
                )
                .with_secondary(
                    column.span.start as usize,
                    column.span.end as usize,
                    format!("declared `{ty}`, without `?`"),
                )
                .with_help(format!(
                    "name the file's column for `{name}`: `{name} = \"...\"`"
                ));
            self.diagnostics.push(d);
            return;
        }
        if !binding.recode.is_empty() {
            let at = binding.recode[0].0 .1;
            self.error(
                codes::BINDING,
                at,
                format!(
                    "column `{}` is not in the file, so it has no texts to recode",
                    column.name
                ),
            )
            .help = Some("leave out the recoding".into());
        }
        self.program.datasets[d].columns[c].absent = true;
    }

    fn unbound_column(&mut self, d: usize, column: &ast::Ident) {
        let dataset = &self.program.datasets[d];
        let names: Vec<&str> = dataset.columns.iter().map(|c| c.name.as_str()).collect();
        let help = did_you_mean(&column.name, names.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| {
                format!("the columns of `{}` are {}", dataset.name, names.join(", "))
            });
        let message = format!("dataset `{}` has no column `{column}`", dataset.name);
        self.error(codes::UNKNOWN_COLUMN, column.span, message).help = Some(help);
    }

    /// The texts a file writes a column's categories or booleans as.
    fn recode(&mut self, d: usize, c: usize, binding: &ast::ColumnBinding) {
        let column = &self.program.datasets[d].columns[c];
        let scale = match column.ty {
            Type::Category(scale) => Some(scale),
            Type::Bool => None,
            ty => {
                let ty = self.program.type_name(ty);
                let last = &binding.recode[binding.recode.len() - 1];
                let at = binding.recode[0].0 .1.to(last.1.span());
                self.error(
                    codes::BINDING,
                    at,
                    format!(
                        "column `{}` is `{ty}`, which has no categories to recode",
                        column.name
                    ),
                )
                .help = Some(
                    "recode only columns of a scale or `Bool`; convert other values in the data"
                        .into(),
                );
                return;
            }
        };

        let mut texts: HashMap<&str, Span> = HashMap::new();
        for ((text, text_span), recoded) in &binding.recode {
            if let Some(first) = texts.get(text.as_str()) {
                self.repeated(
                    *text_span,
                    *first,
                    format!("`\"{text}\"` is recoded twice"),
                    "give each text of the file one value",
                );
                continue;
            }
            texts.insert(text, *text_span);
            match (scale, recoded) {
                (Some(scale), ast::Recoded::Category(category)) => {
                    self.recode_category(d, c, scale, (text, *text_span), category)
                }
                (None, ast::Recoded::Bool(value, _)) => {
                    self.recode_bool(d, c, (text, *text_span), *value)
                }
                (Some(_), ast::Recoded::Bool(value, span)) => {
                    let name = self.program.datasets[d].columns[c].name.clone();
                    self.error(
                        codes::BINDING,
                        *span,
                        format!("column `{name}` holds categories, not `{value}`"),
                    )
                    .help = Some("recode the text to a category of the column's scale".into());
                }
                (None, ast::Recoded::Category(category)) => {
                    let name = self.program.datasets[d].columns[c].name.clone();
                    self.error(
                        codes::BINDING,
                        category.span,
                        format!(
                            "column `{name}` is `Bool`, so a text stands for `true` or `false`"
                        ),
                    )
                    .help = Some(format!("write `\"{text}\" = true` or `\"{text}\" = false`"));
                }
            }
        }
    }

    fn recode_category(
        &mut self,
        d: usize,
        c: usize,
        scale: usize,
        (text, text_span): (&str, Span),
        category: &ast::Ident,
    ) {
        let categories = &self.program.scales[scale].categories;
        let Some(i) = categories.iter().position(|k| *k == category.name) else {
            let scale_name = self.program.scales[scale].name.clone();
            let help = did_you_mean(&category.name, categories.iter().map(String::as_str))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "the categories of `{scale_name}` are {}",
                        categories.join(", ")
                    )
                });
            self.error(
                codes::UNKNOWN_CATEGORY,
                category.span,
                format!("scale `{scale_name}` has no category `{category}`"),
            )
            .help = Some(help);
            return;
        };

        // A category's own name is always read as that category, so recoding it to another
        // would never take effect.
        if let Some(own) = categories.iter().position(|k| k == text) {
            if own != i {
                self.error(
                    codes::BINDING,
                    text_span,
                    format!(
                        "`\"{text}\"` is the name of category `{text}`, \
                         so it cannot stand for `{category}`"
                    ),
                )
                .help = Some(
                    "a category's own name is always read as that category; leave this text out"
                        .into(),
                );
                return;
            }
        }
        let column = &mut self.program.datasets[d].columns[c];
        column.aliases.push((text.to_string(), i as u16));
    }

    fn recode_bool(&mut self, d: usize, c: usize, (text, text_span): (&str, Span), value: bool) {
        // The usual texts of a boolean are always read as msr reads them, so recoding one to
        // the other value would never take effect.
        if let Some(usual) = crate::data::parse_bool(text.trim()) {
            if usual != value {
                self.error(
                    codes::BINDING,
                    text_span,
                    format!(
                        "`\"{text}\"` is always read as `{usual}`, \
                         so it cannot stand for `{value}`"
                    ),
                )
                .help = Some(
                    "`true`/`false`, `yes`/`no` and `1`/`0` keep their meaning in every file; \
                     convert this column in the data"
                        .into(),
                );
                return;
            }
        }
        let column = &mut self.program.datasets[d].columns[c];
        column.bool_texts.push((text.trim().to_string(), value));
    }
}
