//! Lookup tables: their declarations, with the type of their keys and values and each
//! entry checked against them, and their use as a function of one key.
//!
//! A lookup is keyed by the categories of a declared scale or by text. Each entry's value is
//! a constant that must fit the declared value type by the rules a measure's declaration
//! follows. A key without an entry gives a missing value, so a lookup keyed by a scale that
//! leaves categories out, without a `default`, is worth a warning: the designer learns which
//! rows will have no value.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::syntax::ast::{self, Literal, LookupKey, UnaryOp};
use crate::syntax::Span;

use super::expr::Scope;
use super::program::{Absence, Constant, Expr, ExprKind, Function, Lookup, LookupId, LookupTable};
use super::types::{self, Type};
use super::{codes, functions, measure, Checker};

/// Where an entry goes in its table: a category by index, a text, or `default`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Slot {
    Category(u16),
    Text(String),
    Default,
}

impl Checker<'_> {
    /// Checks a lookup's declaration and adds it to the programme, even when it has errors,
    /// so that its uses are checked against what it declares.
    pub(super) fn lookup(&mut self, decl: &ast::LookupDecl) {
        // A call of the lookup would mean the built-in function or aggregate of that name.
        let name = decl.name.name.as_str();
        if functions::FUNCTIONS.iter().any(|(f, _)| *f == name)
            || ast::AGGREGATE_NAMES.contains(&name)
        {
            self.error(
                codes::RESERVED_NAME,
                decl.name.span,
                format!("a lookup cannot be named `{}`", decl.name),
            )
            .help = Some(format!(
                "`{}(...)` is built into msr; choose another name for the lookup",
                decl.name
            ));
        }
        let key = self.lookup_key_type(decl);
        let value = self
            .lookup_type(decl, &decl.value_type, "values")
            .unwrap_or(Type::Error);

        let mut table = LookupTable {
            name: decl.name.name.clone(),
            ..LookupTable::default()
        };
        if let Type::Category(s) = key {
            table.categories = vec![None; self.program.scales[s].categories.len()];
        }
        let mut first: HashMap<Slot, Span> = HashMap::new();
        let mut gives_none = false;
        let mut unknown_keys = false;
        for entry in &decl.entries {
            let slot = self.entry_slot(decl, key, &entry.key);
            let constant = self.entry_value(decl, value, entry);
            let Some(slot) = slot else {
                unknown_keys = true;
                continue;
            };
            if let Some(&at) = first.get(&slot) {
                self.repeated_key(decl, &entry.key, at);
                continue;
            }
            first.insert(slot.clone(), entry.key.span());
            let Some(constant) = constant else { continue };
            gives_none |= constant == Constant::Literal(Literal::None);
            match slot {
                Slot::Category(c) => table.categories[c as usize] = Some(constant),
                Slot::Text(text) => {
                    table.texts.insert(text, constant);
                }
                Slot::Default => table.default = Some(constant),
            }
        }

        let has_default = first.contains_key(&Slot::Default);
        let uncovered: Vec<usize> = match key {
            Type::Category(_) if !has_default => (0..table.categories.len())
                .filter(|&c| !first.contains_key(&Slot::Category(c as u16)))
                .collect(),
            _ => Vec::new(),
        };
        // A misspelt key is likely one of those without an entry: its error says enough.
        if let (Type::Category(s), false, false) = (key, uncovered.is_empty(), unknown_keys) {
            self.incomplete(decl, s, &uncovered);
        }
        let every_key = match key {
            Type::Category(_) => has_default || uncovered.is_empty(),
            _ => has_default,
        };
        let absence = if every_key && !gives_none {
            Absence::NEVER
        } else {
            Absence::NO_ENTRY
        };

        self.program.lookups.push(Lookup {
            name: decl.name.name.clone(),
            title: decl.title.clone(),
            key,
            value,
            table: Arc::new(table),
            absence,
            span: decl.name.span,
            key_span: decl.key_type.span,
        });
    }

    /// The type of a lookup's keys: a category of a scale, or text.
    fn lookup_key_type(&mut self, decl: &ast::LookupDecl) -> Type {
        let Some(key) = self.lookup_type(decl, &decl.key_type, "keys") else {
            return Type::Error;
        };
        if matches!(key, Type::Category(_) | Type::Text) {
            return key;
        }
        let t = self.program.type_name(key);
        let example = self
            .program
            .scales
            .first()
            .map_or("a scale", |s| s.name.as_str());
        let mut d = self.sources.error(
            codes::LOOKUP_KEY,
            decl.key_type.span,
            format!("lookup `{}` cannot be keyed by `{t}`", decl.name),
        );
        d.labels[0].text = "not a scale or `Text`".into();
        self.diagnostics.push(d.with_help(format!(
            "key a lookup by the categories of a declared scale, such as `{example}`, or by \
             `Text`"
        )));
        Type::Error
    }

    /// A type a lookup declares for its keys or its values, with the scale type it states.
    fn lookup_type(
        &mut self,
        decl: &ast::LookupDecl,
        ty: &ast::TypeRef,
        what: &str,
    ) -> Option<Type> {
        if ty.optional {
            self.error(
                codes::OPTIONAL_MEASURE,
                ty.span,
                format!("the {what} of a lookup take no `?`"),
            )
            .help =
                Some("a key without an entry already gives a missing value; remove the `?`".into());
        }
        let plain = ast::TypeRef {
            optional: false,
            ..ty.clone()
        };
        let resolved = self.resolve_type(&plain, false)?;
        let (Some((stated, span)), Some(actual)) =
            (ty.scale_type, resolved.scale_type(&self.program.names))
        else {
            return Some(resolved);
        };
        let stated = measure::scale_type_of(stated);
        if stated != actual {
            let t = self.program.type_name(resolved);
            let message = format!(
                "the {what} of lookup `{}` are stated {}, but `{t}` is on {} scale",
                decl.name,
                stated.keyword(),
                measure::article(actual)
            );
            let mut d = self.sources.error(codes::DECLARED_SCALE, span, message);
            d.labels[0].text = format!("stated {} here", stated.keyword());
            self.diagnostics.push(d.with_help(format!(
                "state `{}`, or leave the scale type out",
                actual.keyword()
            )));
        }
        Some(resolved)
    }

    /// Where an entry's key goes, or `None` after reporting a key the lookup cannot have.
    fn entry_slot(
        &mut self,
        decl: &ast::LookupDecl,
        key: Type,
        written: &LookupKey,
    ) -> Option<Slot> {
        let (name, span) = match written {
            LookupKey::Default(_) => return Some(Slot::Default),
            LookupKey::Name(ident) => (ident.name.as_str(), ident.span),
            LookupKey::Text(text, span) => (text.as_str(), *span),
        };
        let key_span = decl.key_type.span;
        match key {
            Type::Category(s) => {
                let scale = &self.program.scales[s];
                if let Some(c) = scale.categories.iter().position(|c| c == name) {
                    return Some(Slot::Category(c as u16));
                }
                let help = did_you_mean(name, scale.categories.iter().map(String::as_str))
                    .map(|c| format!("did you mean `{c}`?"))
                    .unwrap_or_else(|| {
                        format!(
                            "the categories of `{}` are {}",
                            scale.name,
                            scale.categories.join(", ")
                        )
                    });
                let mut d = self.sources.error(
                    codes::UNKNOWN_KEY,
                    span,
                    format!("`{name}` is not a category of scale `{}`", scale.name),
                );
                d.labels[0].text = "not a key of this lookup".into();
                let d = d
                    .with_secondary(
                        key_span.start as usize,
                        key_span.end as usize,
                        format!("the keys are the categories of `{}`", scale.name),
                    )
                    .with_help(help);
                self.diagnostics.push(d);
                None
            }
            Type::Text => match written {
                LookupKey::Text(text, _) => Some(Slot::Text(text.clone())),
                _ => {
                    let mut d = self.sources.error(
                        codes::LOOKUP_KEY,
                        span,
                        format!(
                            "key `{name}` of lookup `{}` is not written as text",
                            decl.name
                        ),
                    );
                    d.labels[0].text = "a bare name".into();
                    let d = d
                        .with_secondary(
                            key_span.start as usize,
                            key_span.end as usize,
                            "keyed by `Text` here",
                        )
                        .with_help(format!("write the key in quotes: `\"{name}\" = ...`"));
                    self.diagnostics.push(d);
                    None
                }
            },
            _ => None,
        }
    }

    fn repeated_key(&mut self, decl: &ast::LookupDecl, written: &LookupKey, first: Span) {
        let message = match written {
            LookupKey::Default(_) => format!("lookup `{}` has two `default` entries", decl.name),
            LookupKey::Name(ident) => {
                format!("key `{}` has two entries in lookup `{}`", ident, decl.name)
            }
            LookupKey::Text(text, _) => {
                format!("key `\"{text}\"` has two entries in lookup `{}`", decl.name)
            }
        };
        let mut d = self
            .sources
            .error(codes::REPEATED_KEY, written.span(), message);
        d.labels[0].text = "given again here".into();
        let d = d
            .with_secondary(first.start as usize, first.end as usize, "first given here")
            .with_help("keep one entry per key: remove one of them, or correct its key");
        self.diagnostics.push(d);
    }

    /// The constant an entry gives, or `None` after reporting a value that does not fit.
    fn entry_value(
        &mut self,
        decl: &ast::LookupDecl,
        ty: Type,
        entry: &ast::LookupEntry,
    ) -> Option<Constant> {
        let value = &entry.value;
        let hint = (ty != Type::Error).then_some(ty);
        let checked = match &value.kind {
            ast::ExprKind::Literal(literal) => self.literal(literal, value.span, hint),
            ast::ExprKind::Unary(UnaryOp::Neg, inner) => match &inner.kind {
                ast::ExprKind::Literal(literal) => {
                    let checked = self.literal(literal, value.span, hint);
                    match (checked.kind, negated(literal)) {
                        (ExprKind::Literal(_), Some(literal)) => Expr::new(
                            ExprKind::Literal(literal),
                            checked.ty,
                            checked.absence,
                            value.span,
                        ),
                        _ => Expr::error(value.span),
                    }
                }
                _ => Expr::error(value.span),
            },
            ast::ExprKind::Name(ident) => self.entry_name(decl, ty, ident)?,
            _ => Expr::error(value.span),
        };
        if checked.ty == Type::Error {
            return None;
        }
        if !types::fits_declared(ty, checked.ty) {
            self.entry_type(decl, ty, entry, checked.ty);
            return None;
        }
        match checked.kind {
            ExprKind::Literal(literal) => Some(Constant::Literal(literal)),
            ExprKind::Category(_, c) => Some(Constant::Category(c)),
            _ => None,
        }
    }

    /// A bare name as an entry's value: a category of the scale the values are, or, to
    /// report it with its type, of the one scale that has it.
    fn entry_name(&mut self, decl: &ast::LookupDecl, ty: Type, ident: &ast::Ident) -> Option<Expr> {
        let name = ident.name.as_str();
        let scale = match ty {
            Type::Category(s) => Some(s),
            _ => {
                let owners: Vec<usize> = (0..self.program.scales.len())
                    .filter(|&s| self.category(s, name).is_some())
                    .collect();
                match owners.as_slice() {
                    [only] => Some(*only),
                    _ => None,
                }
            }
        };
        if let Some(s) = scale {
            if let Some(kind) = self.category(s, name) {
                return Some(Expr::new(
                    kind,
                    Type::Category(s),
                    Absence::NEVER,
                    ident.span,
                ));
            }
        }
        if ty == Type::Error {
            return None;
        }
        let value_span = decl.value_type.span;
        let t = self.program.type_name(ty);
        let (code, message, label, help) = match ty {
            Type::Category(s) => {
                let scale = &self.program.scales[s];
                let help = did_you_mean(name, scale.categories.iter().map(String::as_str))
                    .map(|c| format!("did you mean `{c}`?"))
                    .unwrap_or_else(|| {
                        format!("the categories are {}", scale.categories.join(", "))
                    });
                (
                    codes::UNKNOWN_CATEGORY,
                    format!("`{name}` is not a category of scale `{}`", scale.name),
                    format!("not a category of `{}`", scale.name),
                    help,
                )
            }
            _ => {
                let help = match example_literal(self, ty) {
                    Some(example) => {
                        format!("an entry's value is a constant: write a `{t}` such as `{example}`")
                    }
                    None => "an entry's value is a constant: write a literal".to_string(),
                };
                // Entries are fixed when the programme is checked; a measure has a value only
                // once data is read.
                let message = if self.program.measure(name).is_some() {
                    format!("measure `{name}` cannot be the value of a lookup entry")
                } else {
                    format!("`{name}` is not a value of `{t}`")
                };
                (
                    codes::ENTRY_TYPE,
                    message,
                    "not a constant".to_string(),
                    help,
                )
            }
        };
        let mut d = self.sources.error(code, ident.span, message);
        d.labels[0].text = label;
        let d = d
            .with_secondary(
                value_span.start as usize,
                value_span.end as usize,
                format!("the values are `{t}`"),
            )
            .with_help(help);
        self.diagnostics.push(d);
        None
    }

    fn entry_type(
        &mut self,
        decl: &ast::LookupDecl,
        ty: Type,
        entry: &ast::LookupEntry,
        actual: Type,
    ) {
        let (expected, found) = (self.program.type_name(ty), self.program.type_name(actual));
        let key = match &entry.key {
            LookupKey::Default(_) => "`default`".to_string(),
            LookupKey::Name(ident) => format!("`{ident}`"),
            LookupKey::Text(text, _) => format!("`\"{text}\"`"),
        };
        let mut d = self.sources.error(
            codes::ENTRY_TYPE,
            entry.value.span,
            format!(
                "the entry for {key} is `{found}`, but lookup `{}` holds `{expected}`",
                decl.name
            ),
        );
        d.labels[0].text = format!("this is `{found}`");
        let value_span = decl.value_type.span;
        let help = match example_literal(self, ty) {
            Some(example) => format!("write a `{expected}`, such as `{example}`"),
            None => format!(
                "no literal is a `{expected}`; declare values that literals can give, such as \
                 `Number`"
            ),
        };
        let d = d
            .with_secondary(
                value_span.start as usize,
                value_span.end as usize,
                format!("values declared `{expected}` here"),
            )
            .with_help(help);
        self.diagnostics.push(d);
    }

    /// Warns of the categories of a scale-keyed lookup that have no entry and no default.
    fn incomplete(&mut self, decl: &ast::LookupDecl, scale: usize, uncovered: &[usize]) {
        let scale = &self.program.scales[scale];
        let names: Vec<String> = uncovered
            .iter()
            .map(|&c| format!("`{}`", scale.categories[c]))
            .collect();
        let listed = match names.as_slice() {
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            [] => return,
        };
        let message = format!("lookup `{}` has no entry for {listed}", decl.name);
        let (at, key_span) = (decl.name.span, decl.key_type.span);
        let d = Diagnostic::warning(codes::INCOMPLETE_LOOKUP, message)
            .with_source(self.sources.source(at.file))
            .with_label(
                at.start as usize,
                at.end as usize,
                format!(
                    "{} of {} categories {} no value",
                    uncovered.len(),
                    scale.categories.len(),
                    if uncovered.len() == 1 { "has" } else { "have" }
                ),
            )
            .with_secondary(
                key_span.start as usize,
                key_span.end as usize,
                format!("the keys are the categories of `{}`", scale.name),
            )
            .with_help(
                "rows with these keys get a missing value; add their entries, or a \
                 `default = ...` entry for every other key (`default = none` if missing is meant)",
            );
        self.diagnostics.push(d);
    }

    /// `name(key)`: the lookup's entry for the key, of the lookup's value type.
    pub(super) fn lookup_call(
        &mut self,
        id: LookupId,
        args: &[ast::Expr],
        span: Span,
        scope: &mut Scope,
    ) -> Expr {
        let lookup = &self.program.lookups[id];
        let (key, value, absence) = (lookup.key, lookup.value, lookup.absence);
        let (name, declared, key_span) = (lookup.name.clone(), lookup.span, lookup.key_span);
        let key_name = self.program.type_name(key);

        if args.len() != 1 {
            let example = match key {
                Type::Category(s) => self.program.scales[s]
                    .categories
                    .last()
                    .cloned()
                    .unwrap_or_else(|| "key".into()),
                _ => "\"key\"".into(),
            };
            let mut d = self.sources.error(
                codes::FUNCTION_ARGUMENTS,
                span,
                format!("lookup `{name}` takes one key, not {}", args.len()),
            );
            d.labels[0].text = format!("{} arguments", args.len());
            let d = self.at_declaration(
                d,
                span,
                declared,
                "lookup declared here",
                &format!("write `{name}(KEY)` with one key, as in `{name}({example})`"),
            );
            self.diagnostics.push(d);
            return Expr::error(span);
        }

        let hint = (key != Type::Error).then_some(key);
        let arg = self.expr(&args[0], scope, hint);
        if arg.ty == Type::Error || key == Type::Error {
            return Expr::error(span);
        }
        if arg.ty != key && arg.ty != Type::None {
            let found = self.program.type_name(arg.ty);
            let mut d = self.sources.error(
                codes::LOOKUP_ARGUMENT,
                arg.span,
                format!("lookup `{name}` is keyed by `{key_name}`, but this key is `{found}`"),
            );
            d.labels[0].text = format!("this is `{found}`");
            let help = match key {
                Type::Category(_) => {
                    format!("give a `{key_name}`: a column of that scale, or one of its categories")
                }
                _ => "give a text: a `Text` column, or a key in quotes".to_string(),
            };
            let d = self.at_declaration(
                d,
                arg.span,
                key_span,
                &format!("keyed by `{key_name}` here"),
                &help,
            );
            self.diagnostics.push(d);
            return Expr::error(span);
        }

        let table = Arc::clone(&self.program.lookups[id].table);
        let absence = arg.absence.union(absence);
        Expr::new(
            ExprKind::Call(Function::Lookup(table), vec![arg]),
            value,
            absence,
            span,
        )
    }

    /// Adds a secondary label at a declaration when it is in the file of the fault, or else
    /// its file, line and column to the help, as a label can only point into one file.
    fn at_declaration(
        &self,
        d: Diagnostic,
        at: Span,
        declaration: Span,
        label: &str,
        help: &str,
    ) -> Diagnostic {
        if declaration.file == at.file {
            return d
                .with_secondary(declaration.start as usize, declaration.end as usize, label)
                .with_help(help);
        }
        let source = self.sources.source(declaration.file);
        let (line, column) = source.line_col(declaration.start as usize);
        d.with_help(format!(
            "{help}; the lookup is declared in `{}` at line {line}, column {column}",
            source.name()
        ))
    }
}

/// A literal with its sign turned, for a negative entry such as `-5`.
fn negated(literal: &Literal) -> Option<Literal> {
    Some(match literal {
        Literal::Int(i) => Literal::Int(i.checked_neg()?),
        Literal::Number(f) => Literal::Number(-f),
        Literal::Percent(f) => Literal::Percent(-f),
        Literal::Duration(d) => Literal::Duration(d.checked_neg()?),
        Literal::Money(f, code) => Literal::Money(-f, code.clone()),
        _ => return None,
    })
}

/// A literal of a type, for a help line: `7d`, `95%`, `100 EUR`, a category.
fn example_literal(checker: &Checker, ty: Type) -> Option<String> {
    Some(match ty {
        Type::Duration => "7d".into(),
        Type::Percent => "95%".into(),
        Type::Money(c) => format!("100 {c}"),
        Type::Int | Type::Count(_) => "3".into(),
        Type::Number => "1.5".into(),
        Type::Bool => "true".into(),
        Type::Text => "\"text\"".into(),
        Type::Date => "2025-01-31".into(),
        Type::DateTime => "2025-01-31T12:00:00Z".into(),
        Type::Category(s) => checker.program.scales[s].categories.first()?.clone(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Program;

    const SCALES: &str = "scale Severity = ordinal [low, medium, high, critical]\n";

    fn checked(text: &str) -> (Program, Vec<Diagnostic>) {
        let text = format!("{SCALES}{text}");
        let Ok(parsed) = crate::syntax::parse_text("t.msr", &text) else {
            panic!("the test programme does not parse");
        };
        match crate::check::check(parsed) {
            Ok(checked) => checked,
            Err(errors) => panic!("the test programme has errors: {errors:?}"),
        }
    }

    fn codes_of(text: &str) -> Vec<&'static str> {
        let text = format!("{SCALES}{text}");
        let Ok(parsed) = crate::syntax::parse_text("t.msr", &text) else {
            panic!("the test programme does not parse");
        };
        match crate::check::check(parsed) {
            Ok((_, warnings)) => warnings.iter().map(|d| d.code).collect(),
            Err(errors) => errors.iter().map(|d| d.code).collect(),
        }
    }

    #[test]
    fn entries_go_to_their_categories_and_the_default_to_every_other_key() {
        let (program, warnings) = checked(
            "lookup weight : Severity -> Number { critical = 10, \"high\" = -2.5, default = 1 }",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let lookup = &program.lookups[0];
        assert_eq!(
            (lookup.key, lookup.value),
            (Type::Category(0), Type::Number)
        );
        assert!(lookup.absence.is_never());
        let table = &lookup.table;
        let int = |i| Some(Constant::Literal(Literal::Int(i)));
        assert_eq!(table.by_category(3).cloned(), int(10));
        assert_eq!(
            table.by_category(2).cloned(),
            Some(Constant::Literal(Literal::Number(-2.5)))
        );
        assert_eq!(table.by_category(0).cloned(), int(1));
    }

    #[test]
    fn a_lookup_may_give_no_value_unless_every_key_has_one() {
        let absence = |text: &str| checked(text).0.lookups[0].absence;
        let every =
            "lookup d : Severity -> Duration { low = 1d, medium = 2d, high = 3d, critical = 4d }";
        assert!(absence(every).is_never());
        let some = "lookup d : Severity -> Duration { critical = 4d, default = none }";
        assert_eq!(absence(some), Absence::NO_ENTRY);
        assert_eq!(
            absence("lookup t : Text -> Int { \"a\" = 1 }"),
            Absence::NO_ENTRY
        );
        assert!(absence("lookup t : Text -> Int { \"a\" = 1, default = 0 }").is_never());
    }

    #[test]
    fn a_call_has_the_value_type_and_the_absence_of_its_key_and_its_table() {
        let (program, _) = checked(
            "lookup d : Severity -> Duration { critical = 7d, default = 90d }
             lookup t : Text -> Severity { \"web\" = high }
             measure worst : Duration = d(critical)
             measure web : Severity = t(\"web\")",
        );
        let worst = &program.measures[0].expr;
        assert_eq!(worst.ty, Type::Duration);
        assert!(worst.absence.is_never());
        let web = &program.measures[1].expr;
        assert_eq!(web.ty, Type::Category(0));
        assert_eq!(web.absence, Absence::NO_ENTRY);
        assert!(matches!(
            &web.kind,
            ExprKind::Call(Function::Lookup(table), _) if table.name == "t"
        ));
    }

    #[test]
    fn mistakes_in_a_declaration_each_get_their_code() {
        let cases = [
            (
                "lookup d : Severity -> Int { urgent = 1, default = 0 }",
                codes::UNKNOWN_KEY,
            ),
            (
                "lookup d : Severity -> Int { low = 1, low = 2, default = 0 }",
                codes::REPEATED_KEY,
            ),
            (
                "lookup d : Severity -> Int { default = 1, default = 2 }",
                codes::REPEATED_KEY,
            ),
            (
                "lookup d : Severity -> Int { low = 1h, default = 0 }",
                codes::ENTRY_TYPE,
            ),
            (
                "lookup d : Severity -> Money<EUR> { default = 5 USD }",
                codes::ENTRY_TYPE,
            ),
            (
                "lookup d : Severity -> Int { default = low }",
                codes::ENTRY_TYPE,
            ),
            ("lookup d : Int -> Int { }", codes::LOOKUP_KEY),
            ("lookup d : Text -> Int { a = 1 }", codes::LOOKUP_KEY),
            (
                "lookup d : Severity -> Severity { default = urgent }",
                codes::UNKNOWN_CATEGORY,
            ),
            (
                "lookup d : Severity? -> Int { default = 1 }",
                codes::OPTIONAL_MEASURE,
            ),
            (
                "lookup d : ratio Severity -> Int { default = 1 }",
                codes::DECLARED_SCALE,
            ),
            (
                "lookup mean : Severity -> Int { default = 1 }",
                codes::RESERVED_NAME,
            ),
            (
                "lookup d : Severity -> Int { low = 1 }",
                codes::INCOMPLETE_LOOKUP,
            ),
        ];
        for (text, code) in cases {
            assert_eq!(codes_of(text), [code], "{text}");
        }
    }

    #[test]
    fn mistakes_in_a_call_each_get_their_code() {
        let lookup = "lookup d : Severity -> Int { default = 1 }\n";
        let cases = [
            ("measure m : Int = d(\"web\")", codes::UNKNOWN_CATEGORY),
            ("measure m : Int = d(3)", codes::LOOKUP_ARGUMENT),
            ("measure m : Int = d(low, high)", codes::FUNCTION_ARGUMENTS),
            ("measure m : Int = d", codes::UNKNOWN_NAME),
            ("measure m : Duration = d(low)", codes::TYPE_MISMATCH),
            ("measure d : Int = 1", codes::DUPLICATE),
        ];
        for (text, code) in cases {
            assert_eq!(codes_of(&format!("{lookup}{text}")), [code], "{text}");
        }
    }
}
