//! Lowering: from pest's parse tree to the AST.
//!
//! Expressions are folded here with a Pratt parser, which is where operator precedence is
//! decided, lowest first: `or`, `and`, `not`, comparisons, `is none` and `in [...]`, `+ -`,
//! `* /`, unary minus ([`precedence`], which the formatter folds expressions with too).
//! Literal text is turned into values here, so later phases never look at token text again.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser;

use super::ast::*;
use super::ParseError;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/msr.pest"]
struct MsrParser;

mod test_block;

pub(crate) use test_block::fixture_lines;

/// The concrete parse tree of a source, every token with its exact text and place, for the
/// formatter. `None` when the source does not parse; [`super::parse`] says why.
pub(crate) fn parse_tree(text: &str) -> Option<Pair<'_, Rule>> {
    MsrParser::parse(Rule::file, text).ok()?.next()
}

/// The operators of an expression by precedence, loosest first: the one table both the
/// lowering and the formatter fold a flat `expr` with.
pub(crate) fn precedence() -> PrattParser<Rule> {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left))
        .op(Op::postfix(Rule::is_none)
            | Op::postfix(Rule::is_not_none)
            | Op::postfix(Rule::in_list)
            | Op::postfix(Rule::not_in_list)
            | Op::postfix(Rule::within))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
}

type Result<T> = std::result::Result<T, ParseError>;

/// Reports bracket nesting deeper than [`super::MAX_NESTING`] before pest recurses into it.
pub(super) fn check_nesting(text: &str) -> Option<ParseError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // Skip a string literal, honouring escapes.
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > super::MAX_NESTING {
                    return Some(ParseError {
                        code: "msr::syntax::too_deep",
                        message: format!("brackets nested more than {} deep", super::MAX_NESTING),
                        start: i,
                        end: i + 1,
                        label: "this bracket is too deep".into(),
                        help: Some("split the expression into several measures".into()),
                    });
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

pub(super) fn parse_module(
    file: FileId,
    text: &str,
) -> std::result::Result<Module, Vec<ParseError>> {
    let mut pairs =
        MsrParser::parse(Rule::file, text).map_err(|e| vec![pest_error(Rule::file, text, e)])?;
    let lowerer = Lowerer { file };
    let mut module = Module {
        file,
        ..Module::default()
    };
    let mut errors = Vec::new();

    let root = pairs
        .next()
        .expect("the grammar's `file` rule always yields one pair");
    for pair in root.into_inner() {
        let result = match pair.as_rule() {
            Rule::use_decl => lowerer.use_decl(pair).map(|u| module.uses.push(u)),
            Rule::scale_decl => lowerer.scale(pair).map(|s| module.scales.push(s)),
            Rule::dataset_decl => lowerer.dataset(pair).map(|d| module.datasets.push(d)),
            Rule::lookup_decl => lowerer.lookup(pair).map(|l| module.lookups.push(l)),
            Rule::measure_decl => lowerer.measure(pair).map(|m| module.measures.push(m)),
            Rule::indicator_decl => lowerer.indicator(pair).map(|i| module.indicators.push(i)),
            Rule::hierarchy_decl => lowerer.hierarchy(pair).map(|h| module.hierarchies.push(h)),
            Rule::test_decl => lowerer.test(pair).map(|t| module.tests.push(t)),
            Rule::bind_decl => {
                module.binds.push(lowerer.bind(pair));
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(err) = result {
            errors.push(err);
        }
    }

    if errors.is_empty() {
        Ok(module)
    } else {
        Err(errors)
    }
}

pub(super) fn parse_query(file: FileId, text: &str) -> std::result::Result<Query, ParseError> {
    let mut pairs =
        MsrParser::parse(Rule::query, text).map_err(|e| pest_error(Rule::query, text, e))?;
    let lowerer = Lowerer { file };
    let root = pairs
        .next()
        .expect("the grammar's `query` rule always yields one pair");
    let span = lowerer.span(&root);
    let mut expr = None;
    let mut group_by = None;
    for pair in root.into_inner() {
        match pair.as_rule() {
            Rule::expr => expr = Some(lowerer.expr(pair)?),
            Rule::group_by => group_by = Some(lowerer.group_by(pair)),
            _ => {}
        }
    }
    Ok(Query {
        expr: expr.expect("a query always holds an expression"),
        group_by,
        span,
    })
}

struct Lowerer {
    file: FileId,
}

impl Lowerer {
    /// The pair's span without the whitespace and comments that a rule ending in a
    /// repetition swallows after its last token.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, s.start(), s.start() + trimmed_len(s.as_str()))
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            span: self.span(&pair),
            name: pair.as_str().to_string(),
        }
    }

    fn bind(&self, pair: Pair<Rule>) -> BindDecl {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::kw_bind);
        let mut decl = BindDecl {
            dataset: self.ident(next(&mut inner)),
            sources: Vec::new(),
            zones: Vec::new(),
            columns: Vec::new(),
            span,
        };
        for p in inner {
            let rule = p.as_rule();
            let entry_span = self.span(&p);
            let mut parts = p
                .into_inner()
                .filter(|q| !matches!(q.as_rule(), Rule::kw_source | Rule::kw_zone));
            match rule {
                Rule::source_entry | Rule::zone_entry => {
                    let text = next(&mut parts);
                    let at = self.span(&text);
                    let value = (string_value(text), at);
                    if rule == Rule::source_entry {
                        decl.sources.push(value);
                    } else {
                        decl.zones.push(value);
                    }
                }
                Rule::column_binding => {
                    let column = self.ident(next(&mut parts));
                    let name = next(&mut parts);
                    let at = self.span(&name);
                    let file_name = match name.as_rule() {
                        Rule::string => Some((string_value(name), at)),
                        _ => None,
                    };
                    let recode = parts
                        .flat_map(|r| r.into_inner())
                        .map(|entry| {
                            let mut e = entry.into_inner();
                            let text = next(&mut e);
                            let at = self.span(&text);
                            let target = next(&mut e);
                            let recoded = match target.as_rule() {
                                Rule::kw_true => Recoded::Bool(true, self.span(&target)),
                                Rule::kw_false => Recoded::Bool(false, self.span(&target)),
                                _ => Recoded::Category(self.ident(target)),
                            };
                            ((string_value(text), at), recoded)
                        })
                        .collect();
                    decl.columns.push(ColumnBinding {
                        column,
                        file_name,
                        recode,
                        span: entry_span,
                    });
                }
                _ => {}
            }
        }
        decl
    }

    fn use_decl(&self, pair: Pair<Rule>) -> Result<Use> {
        let span = self.span(&pair);
        let path = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::string)
            .map(string_value)
            .unwrap_or_default();
        Ok(Use { path, span })
    }

    fn scale(&self, pair: Pair<Rule>) -> Result<ScaleDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::kw_scale);
        let name = self.ident(next(&mut inner));
        let kind = match next(&mut inner).as_str() {
            "ordinal" => ScaleKind::Ordinal,
            _ => ScaleKind::Nominal,
        };
        let categories = next(&mut inner)
            .into_inner()
            .map(|category| {
                let mut parts = category.into_inner();
                let name = self.ident(next(&mut parts));
                let score = parts.next().map(|p| {
                    // The grammar admits only digits here, which always parse.
                    let value = p.as_str().parse::<f64>().unwrap_or(f64::NAN);
                    (value, self.span(&p))
                });
                CategoryDecl { name, score }
            })
            .collect();
        Ok(ScaleDecl {
            name,
            kind,
            categories,
            span,
        })
    }

    fn type_ref(&self, pair: Pair<Rule>) -> TypeRef {
        let span = self.span(&pair);
        let mut ty = TypeRef {
            scale_type: None,
            name: Ident {
                name: String::new(),
                span,
            },
            arg: None,
            per: None,
            optional: false,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::scale_type => {
                    let scale = match p.as_str() {
                        "nominal" => ScaleTypeName::Nominal,
                        "ordinal" => ScaleTypeName::Ordinal,
                        "interval" => ScaleTypeName::Interval,
                        _ => ScaleTypeName::Ratio,
                    };
                    ty.scale_type = Some((scale, self.span(&p)));
                }
                Rule::type_name => {
                    let mut parts = p.into_inner();
                    ty.name = self.ident(next(&mut parts));
                    ty.arg = parts.next().map(|a| self.ident(next(&mut a.into_inner())));
                }
                Rule::per_unit => {
                    ty.per = p
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::name)
                        .map(|q| self.ident(q));
                }
                Rule::optional_mark => ty.optional = true,
                _ => {}
            }
        }
        ty
    }

    fn dataset(&self, pair: Pair<Rule>) -> Result<DatasetDecl> {
        let span = self.span(&pair);
        let mut decl = DatasetDecl {
            name: Ident {
                name: String::new(),
                span,
            },
            title: None,
            sources: Vec::new(),
            time: Vec::new(),
            entity: Vec::new(),
            zones: Vec::new(),
            columns: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => decl.name = self.ident(p),
                Rule::title => decl.title = p.into_inner().next().map(string_value),
                Rule::source_entry => {
                    let s = self.span(&p);
                    if let Some(path) = p.into_inner().find(|p| p.as_rule() == Rule::string) {
                        decl.sources.push((string_value(path), s));
                    }
                }
                Rule::time_entry => {
                    if let Some(name) = p.into_inner().find(|p| p.as_rule() == Rule::name) {
                        decl.time.push(self.ident(name));
                    }
                }
                Rule::zone_entry => {
                    let s = self.span(&p);
                    if let Some(zone) = p.into_inner().find(|p| p.as_rule() == Rule::string) {
                        decl.zones.push((string_value(zone), s));
                    }
                }
                Rule::entity_entry => {
                    if let Some(name) = p.into_inner().find(|p| p.as_rule() == Rule::name) {
                        decl.entity.push(self.ident(name));
                    }
                }
                Rule::column_decl => {
                    let s = self.span(&p);
                    let mut inner = p.into_inner();
                    let name = self.ident(next(&mut inner));
                    let ty = self.type_ref(next(&mut inner));
                    decl.columns.push(ColumnDecl { name, ty, span: s });
                }
                _ => {}
            }
        }
        Ok(decl)
    }

    fn lookup(&self, pair: Pair<Rule>) -> Result<LookupDecl> {
        let span = self.span(&pair);
        let mut name = None;
        let mut title = None;
        let mut types = Vec::new();
        let mut entries = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => name = Some(self.ident(p)),
                Rule::title => title = p.into_inner().next().map(string_value),
                Rule::type_ref => types.push(self.type_ref(p)),
                Rule::lookup_entry => entries.push(self.lookup_entry(p)?),
                _ => {}
            }
        }
        let mut types = types.into_iter();
        Ok(LookupDecl {
            name: name.expect("a lookup always has a name"),
            title,
            key_type: types.next().expect("a lookup always has a key type"),
            value_type: types.next().expect("a lookup always has a value type"),
            entries,
            span,
        })
    }

    fn lookup_entry(&self, pair: Pair<Rule>) -> Result<LookupEntry> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let key = next(&mut inner);
        let key = match next(&mut key.into_inner()) {
            k if k.as_rule() == Rule::kw_default => LookupKey::Default(self.span(&k)),
            k if k.as_rule() == Rule::string => {
                let at = self.span(&k);
                LookupKey::Text(string_value(k), at)
            }
            k => LookupKey::Name(self.ident(k)),
        };
        let value = self.constant(next(&mut next(&mut inner).into_inner()))?;
        Ok(LookupEntry { key, value, span })
    }

    /// A constant as written in a lookup entry or an expectation: a literal, a negated
    /// literal, or a bare name (a category).
    fn constant(&self, value: Pair<Rule>) -> Result<Expr> {
        let span = self.span(&value);
        let kind = match value.as_rule() {
            Rule::name => ExprKind::Name(self.ident(value)),
            Rule::negative => {
                let literal = next(&mut value.into_inner());
                let literal_span = self.span(&literal);
                let operand = Expr {
                    kind: ExprKind::Literal(self.literal(literal)?),
                    span: literal_span,
                };
                ExprKind::Unary(UnaryOp::Neg, Box::new(operand))
            }
            _ => ExprKind::Literal(self.literal(value)?),
        };
        Ok(Expr { kind, span })
    }

    fn group_by(&self, pair: Pair<Rule>) -> GroupBy {
        let span = self.span(&pair);
        let keys = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::group_key)
            .map(|key| {
                let key_span = self.span(&key);
                let mut bucket = None;
                let mut hierarchy = None;
                let mut column = None;
                for p in key.into_inner() {
                    match p.as_rule() {
                        Rule::rollup => hierarchy = p.into_inner().next().map(|n| self.ident(n)),
                        Rule::bucket => {
                            bucket = Some(match p.as_str() {
                                "day" => Bucket::Day,
                                "week" => Bucket::Week,
                                "month" => Bucket::Month,
                                "quarter" => Bucket::Quarter,
                                _ => Bucket::Year,
                            })
                        }
                        Rule::name => column = Some(self.ident(p)),
                        _ => {}
                    }
                }
                GroupKey {
                    bucket,
                    hierarchy,
                    column: column.expect("a `group_key` always names a column"),
                    span: key_span,
                }
            })
            .collect();
        GroupBy { keys, span }
    }

    fn hierarchy(&self, pair: Pair<Rule>) -> Result<HierarchyDecl> {
        let span = self.span(&pair);
        let mut names = Vec::new();
        let mut title = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => names.push(self.ident(p)),
                Rule::title => title = p.into_inner().next().map(string_value),
                _ => {}
            }
        }
        let mut names = names.into_iter();
        let mut next_name = || names.next().expect("a hierarchy always names four things");
        Ok(HierarchyDecl {
            name: next_name(),
            title,
            dataset: next_name(),
            node: next_name(),
            parent: next_name(),
            span,
        })
    }

    fn measure(&self, pair: Pair<Rule>) -> Result<MeasureDecl> {
        let span = self.span(&pair);
        let mut role = None;
        let mut name = None;
        let mut title = None;
        let mut ty = None;
        let mut expr = None;
        let mut group_by = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::measure_role => {
                    let r = match p.as_str() {
                        "base" => MeasureRole::Base,
                        _ => MeasureRole::Derived,
                    };
                    role = Some((r, self.span(&p)));
                }
                Rule::name => name = Some(self.ident(p)),
                Rule::title => title = p.into_inner().next().map(string_value),
                Rule::type_ref => ty = Some(self.type_ref(p)),
                Rule::expr => expr = Some(self.expr(p)?),
                Rule::group_by => group_by = Some(self.group_by(p)),
                _ => {}
            }
        }
        Ok(MeasureDecl {
            role,
            name: name.expect("a measure always has a name"),
            title,
            ty: ty.expect("a measure always has a type"),
            expr: expr.expect("a measure always has an expression"),
            group_by,
            span,
        })
    }

    fn indicator(&self, pair: Pair<Rule>) -> Result<IndicatorDecl> {
        let span = self.span(&pair);
        let mut decl = IndicatorDecl {
            name: Ident {
                name: String::new(),
                span,
            },
            title: None,
            values: Vec::new(),
            targets: Vec::new(),
            criteria: Vec::new(),
            gates: Vec::new(),
            samples: Vec::new(),
            group_by: Vec::new(),
            facts: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => decl.name = self.ident(p),
                Rule::title => decl.title = p.into_inner().next().map(string_value),
                Rule::value_entry => {
                    if let Some(e) = p.into_inner().find(|p| p.as_rule() == Rule::expr) {
                        decl.values.push(self.expr(e)?);
                    }
                }
                Rule::target_entry => {
                    let s = self.span(&p);
                    let mut op = CompareOp::Ge;
                    let mut value = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::compare_op => op = compare_op(q.as_str()),
                            Rule::expr => value = Some(self.expr(q)?),
                            _ => {}
                        }
                    }
                    if let Some(value) = value {
                        decl.targets.push(Target { op, value, span: s });
                    }
                }
                Rule::criteria_entry => {
                    let s = self.span(&p);
                    let mut bands = Vec::new();
                    for band in p.into_inner().filter(|q| q.as_rule() == Rule::band) {
                        bands.push(self.band(band)?);
                    }
                    decl.criteria.push((bands, s));
                }
                Rule::gate_entry => {
                    let span = self.span(&p);
                    let mut status = None;
                    let mut condition = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::name => status = Some(self.ident(q)),
                            Rule::expr => condition = Some(self.expr(q)?),
                            _ => {}
                        }
                    }
                    decl.gates.push(Band {
                        status: status.expect("a gate always names a status"),
                        condition,
                        span,
                    });
                }
                Rule::sample_entry => {
                    if let Some(e) = p.into_inner().find(|q| q.as_rule() == Rule::expr) {
                        decl.samples.push(self.expr(e)?);
                    }
                }
                Rule::group_by => decl.group_by.push(self.group_by(p)),
                Rule::fact => decl.facts.push(self.fact(p)),
                _ => {}
            }
        }
        Ok(decl)
    }

    fn band(&self, pair: Pair<Rule>) -> Result<Band> {
        let span = self.span(&pair);
        let mut status = None;
        let mut condition = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => status = Some(self.ident(p)),
                Rule::expr => condition = Some(self.expr(p)?),
                _ => {}
            }
        }
        Ok(Band {
            status: status.expect("a band always names a status"),
            condition,
            span,
        })
    }

    fn fact(&self, pair: Pair<Rule>) -> Fact {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.ident(next(&mut inner));
        let args = inner
            .filter(|p| p.as_rule() == Rule::fact_arg)
            .filter_map(|arg| arg.into_inner().next())
            .map(|arg| match arg.as_rule() {
                Rule::string => FactArg::Text(string_value(arg.clone()), self.span(&arg)),
                Rule::frequency_arg => {
                    let mut parts = arg.into_inner();
                    let kind = self.ident(next(&mut parts));
                    let every = self.ident(next(&mut parts));
                    FactArg::Frequency { kind, every }
                }
                _ => FactArg::Name(self.ident(arg)),
            })
            .collect();
        Fact { name, args, span }
    }

    pub(super) fn expr(&self, pair: Pair<Rule>) -> Result<Expr> {
        // Operators in one flat expression make the tree deeper; bound them, as brackets
        // are bounded, so that no later phase can run out of stack.
        let mut operators = pair.clone().into_inner().filter(|p| {
            matches!(
                p.as_rule(),
                Rule::op_or
                    | Rule::op_and
                    | Rule::op_not
                    | Rule::op_eq
                    | Rule::op_ne
                    | Rule::op_lt
                    | Rule::op_le
                    | Rule::op_gt
                    | Rule::op_ge
                    | Rule::op_add
                    | Rule::op_sub
                    | Rule::op_mul
                    | Rule::op_div
                    | Rule::op_neg
                    | Rule::is_none
                    | Rule::is_not_none
                    | Rule::in_list
                    | Rule::not_in_list
                    | Rule::within
            )
        });
        if let Some(extra) = operators.nth(super::MAX_OPERATORS) {
            let span = extra.as_span();
            return Err(ParseError {
                code: "msr::syntax::too_deep",
                message: format!(
                    "expression has more than {} operators",
                    super::MAX_OPERATORS
                ),
                start: span.start(),
                end: span.end(),
                label: "one operator too many".into(),
                help: Some("split the expression into several measures".into()),
            });
        }

        precedence()
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, rhs| {
                let rhs = rhs?;
                let span = self.span(&op).to(rhs.span);
                let op = if op.as_rule() == Rule::op_not {
                    UnaryOp::Not
                } else {
                    UnaryOp::Neg
                };
                Ok(Expr {
                    kind: ExprKind::Unary(op, Box::new(rhs)),
                    span,
                })
            })
            .map_postfix(|lhs, op| {
                let lhs = lhs?;
                let span = lhs.span.to(self.span(&op));
                let kind = match op.as_rule() {
                    Rule::is_none | Rule::is_not_none => ExprKind::IsNone {
                        negated: op.as_rule() == Rule::is_not_none,
                        value: Box::new(lhs),
                    },
                    Rule::within => {
                        let duration = op
                            .into_inner()
                            .find(|p| p.as_rule() == Rule::duration)
                            .expect("`within` always holds a duration");
                        let Literal::Duration(window) = self.literal(duration)? else {
                            unreachable!("a duration token lowers to a duration");
                        };
                        ExprKind::Within {
                            value: Box::new(lhs),
                            window,
                        }
                    }
                    _ => {
                        let negated = op.as_rule() == Rule::not_in_list;
                        let list = op
                            .into_inner()
                            .find(|p| p.as_rule() == Rule::expr_list)
                            .map(|l| l.into_inner().map(|e| self.expr(e)).collect())
                            .transpose()?
                            .unwrap_or_default();
                        ExprKind::InList {
                            value: Box::new(lhs),
                            list,
                            negated,
                        }
                    }
                };
                Ok(Expr { kind, span })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let op = match op.as_rule() {
                    Rule::op_or => BinaryOp::Or,
                    Rule::op_and => BinaryOp::And,
                    Rule::op_eq => BinaryOp::Compare(CompareOp::Eq),
                    Rule::op_ne => BinaryOp::Compare(CompareOp::Ne),
                    Rule::op_lt => BinaryOp::Compare(CompareOp::Lt),
                    Rule::op_le => BinaryOp::Compare(CompareOp::Le),
                    Rule::op_gt => BinaryOp::Compare(CompareOp::Gt),
                    Rule::op_ge => BinaryOp::Compare(CompareOp::Ge),
                    Rule::op_add => BinaryOp::Add,
                    Rule::op_sub => BinaryOp::Sub,
                    Rule::op_mul => BinaryOp::Mul,
                    _ => BinaryOp::Div,
                };
                let span = lhs.span.to(rhs.span);
                Ok(Expr {
                    kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                    span,
                })
            })
            .parse(pair.into_inner())
    }

    fn primary(&self, pair: Pair<Rule>) -> Result<Expr> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::expr => return self.expr(pair),
            Rule::name => ExprKind::Name(self.ident(pair)),
            Rule::aggregate => ExprKind::Aggregate(Box::new(self.aggregate(pair)?)),
            Rule::relation => ExprKind::Relation(Box::new(self.relation(pair)?)),
            Rule::call => {
                let mut inner = pair.into_inner();
                let function = self.ident(next(&mut inner));
                let args = match inner.next() {
                    Some(list) => list
                        .into_inner()
                        .map(|e| self.expr(e))
                        .collect::<Result<Vec<_>>>()?,
                    None => Vec::new(),
                };
                ExprKind::Call { function, args }
            }
            _ => ExprKind::Literal(self.literal(pair)?),
        };
        Ok(Expr { kind, span })
    }

    fn aggregate(&self, pair: Pair<Rule>) -> Result<Aggregate> {
        let mut func = AggregateFn::Count;
        let mut rank = None;
        let mut value = None;
        let mut dataset = None;
        let mut period_column = None;
        let mut filter = None;
        let mut except = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::aggregate_fn => {
                    func = match p.as_str() {
                        "sum" => AggregateFn::Sum,
                        "mean" => AggregateFn::Mean,
                        "median" => AggregateFn::Median,
                        "mode" => AggregateFn::Mode,
                        "min" => AggregateFn::Min,
                        "max" => AggregateFn::Max,
                        "percentile" => AggregateFn::Percentile,
                        s if s.starts_with("count") && s.len() > "count".len() => {
                            AggregateFn::CountDistinct
                        }
                        _ => AggregateFn::Count,
                    }
                }
                Rule::percentile_rank => {
                    let r = next(&mut p.into_inner());
                    let s = self.span(&r);
                    let rank_value = match self.literal(r)? {
                        Literal::Percent(f) => f,
                        Literal::Int(i) => i as f64 / 100.0,
                        Literal::Number(f) => f / 100.0,
                        _ => f64::NAN,
                    };
                    rank = Some((rank_value, s));
                }
                Rule::row_value => {
                    if let Some(e) = p.into_inner().find(|q| q.as_rule() == Rule::expr) {
                        value = Some(self.expr(e)?);
                    }
                }
                Rule::name => dataset = Some(self.ident(p)),
                Rule::period_column => {
                    period_column = p
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::name)
                        .map(|q| self.ident(q));
                }
                Rule::filter => {
                    if let Some(e) = p.into_inner().find(|q| q.as_rule() == Rule::expr) {
                        filter = Some(self.expr(e)?);
                    }
                }
                Rule::exception => {
                    if let Some(e) = p.into_inner().find(|q| q.as_rule() == Rule::expr) {
                        except = Some(self.expr(e)?);
                    }
                }
                _ => {}
            }
        }
        Ok(Aggregate {
            func,
            rank,
            value,
            dataset: dataset.expect("an aggregate always names a dataset"),
            period_column,
            filter,
            except,
        })
    }

    fn relation(&self, pair: Pair<Rule>) -> Result<Relation> {
        let mut names = Vec::new();
        let mut filter = None;
        let mut column = None;
        // `relation` holds one of `exists_relation` and `related_relation`.
        for p in pair.into_inner().flat_map(|p| p.into_inner()) {
            match p.as_rule() {
                Rule::relation_link => {
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::name => names.push(self.ident(q)),
                            Rule::filter => {
                                if let Some(e) = q.into_inner().find(|e| e.as_rule() == Rule::expr)
                                {
                                    filter = Some(self.expr(e)?);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Rule::related_column => {
                    column = p
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::name)
                        .map(|q| self.ident(q));
                }
                _ => {}
            }
        }
        let mut names = names.into_iter();
        let mut name = || {
            names
                .next()
                .expect("a relation always names a dataset and two key columns")
        };
        Ok(Relation {
            dataset: name(),
            its_key: name(),
            this_key: name(),
            filter,
            column,
        })
    }

    fn literal(&self, pair: Pair<Rule>) -> Result<Literal> {
        let text = pair.as_str();
        let span = pair.as_span();
        let invalid = |what: &str, help: &str| ParseError {
            code: "msr::syntax::bad_literal",
            message: format!("invalid {what} `{text}`"),
            start: span.start(),
            end: span.end(),
            label: format!("not a valid {what}"),
            help: Some(help.to_string()),
        };
        Ok(match pair.as_rule() {
            Rule::number if !text.contains('.') => match text.parse::<i64>() {
                Ok(i) => Literal::Int(i),
                Err(_) => Literal::Number(
                    text.parse()
                        .map_err(|_| invalid("number", "write a smaller number"))?,
                ),
            },
            Rule::number => {
                Literal::Number(text.parse().map_err(|_| {
                    invalid("number", "write digits with an optional decimal point")
                })?)
            }
            Rule::percent => {
                let f: f64 = text[..text.len() - 1]
                    .parse()
                    .map_err(|_| invalid("percentage", "write a percentage such as `95%`"))?;
                Literal::Percent(f / 100.0)
            }
            Rule::duration => {
                Literal::Duration(duration_micros(text).ok_or_else(|| {
                    invalid("duration", "write a duration such as `72h` or `1d12h`")
                })?)
            }
            Rule::date => Literal::Date(
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .ok()
                    .map(|d| (d - NaiveDate::default()).num_days() as i32)
                    .ok_or_else(|| invalid("date", "write a calendar date such as `2025-09-01`"))?,
            ),
            Rule::datetime => Literal::DateTime(datetime_micros(text).ok_or_else(|| {
                invalid(
                    "date-time",
                    "write an RFC 3339 date-time such as `2025-09-01T14:30:00Z`",
                )
            })?),
            Rule::money => {
                let (amount, code) = text.split_at(text.len() - 3);
                let amount = amount.trim_end().parse().map_err(|_| {
                    invalid("amount", "write an amount and a currency such as `100 EUR`")
                })?;
                Literal::Money(amount, code.to_string())
            }
            Rule::string => Literal::Text(string_value(pair)),
            Rule::kw_true => Literal::Bool(true),
            Rule::kw_false => Literal::Bool(false),
            _ => Literal::None,
        })
    }
}

/// The length of `text` without trailing whitespace and comments.
fn trimmed_len(text: &str) -> usize {
    let mut end = text.len();
    loop {
        let trimmed = text[..end].trim_end();
        end = trimmed.len();
        if let Some(body) = trimmed.strip_suffix("*/") {
            if let Some(open) = body.rfind("/*") {
                end = open;
                continue;
            }
        }
        let line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        match line_comment_start(&trimmed[line_start..]) {
            Some(i) => end = line_start + i,
            None => return end,
        }
    }
}

/// Where a `//` comment starts on a line, outside string literals.
fn line_comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '/' if !in_string && line[i..].starts_with("//") => return Some(i),
            _ => {}
        }
    }
    None
}

fn next<'i>(pairs: &mut impl Iterator<Item = Pair<'i, Rule>>) -> Pair<'i, Rule> {
    pairs
        .next()
        .expect("the grammar guarantees this part of the declaration")
}

fn compare_op(text: &str) -> CompareOp {
    match text {
        "=" => CompareOp::Eq,
        "!=" => CompareOp::Ne,
        "<" => CompareOp::Lt,
        "<=" => CompareOp::Le,
        ">" => CompareOp::Gt,
        _ => CompareOp::Ge,
    }
}

/// The value of a string literal, with its escapes resolved.
fn string_value(pair: Pair<Rule>) -> String {
    let raw = pair
        .into_inner()
        .next()
        .map(|p| p.as_str())
        .unwrap_or_default();
    unescape(raw)
}

/// Text between quotes with `\"`, `\\`, `\n` and `\t` resolved.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// `1d12h` in microseconds; units are w, d, h, m (minutes) and s.
pub fn duration_micros(text: &str) -> Option<i64> {
    let mut total = 0f64;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let seconds = match c {
            'w' => 7.0 * 86_400.0,
            'd' => 86_400.0,
            'h' => 3_600.0,
            'm' => 60.0,
            's' => 1.0,
            _ => return None,
        };
        total += number.parse::<f64>().ok()? * seconds;
        number.clear();
    }
    let micros = (total * 1e6).round();
    (number.is_empty() && micros.abs() < i64::MAX as f64).then_some(micros as i64)
}

/// An RFC 3339 date-time in microseconds since the epoch; without an offset it is UTC.
pub fn datetime_micros(text: &str) -> Option<i64> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.timestamp_micros());
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            // RFC 3339 needs seconds; accept `HH:MM` with an offset as well.
            let (head, tail) = text.split_at(text.len().checked_sub(6)?);
            let with_seconds = format!("{head}:00{tail}");
            DateTime::parse_from_rfc3339(&with_seconds)
                .ok()
                .map(|d| d.naive_utc())
        })
        .map(|dt| dt.and_utc().timestamp_micros())
}

/// Turns pest's error into a syntax error with words a user knows.
///
/// pest's own error names only the rules it tried; the detailed parse attempts (collected
/// by parsing again with error detail on, so valid input pays nothing) also name the
/// punctuation it expected at the farthest point it reached, such as a missing `=` or `}`.
fn pest_error(rule: Rule, text: &str, err: pest::error::Error<Rule>) -> ParseError {
    let (mut start, _) = match err.location {
        pest::error::InputLocation::Pos(p) => (p, p),
        pest::error::InputLocation::Span((s, e)) => (s, e),
    };
    let mut rules: Vec<Rule> = match &err.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let mut tokens: Vec<String> = Vec::new();

    pest::set_error_detail(true);
    let detailed = MsrParser::parse(rule, text).err();
    pest::set_error_detail(false);
    if let Some(attempts) = detailed.as_ref().and_then(|e| e.parse_attempts()) {
        if attempts.max_position >= start {
            start = attempts.max_position;
            tokens = attempts
                .expected_tokens()
                .iter()
                .map(|t| t.to_string())
                .collect();
            rules = attempts
                .call_stacks()
                .iter()
                // A stack that ends in a token is explained by the token itself.
                .filter_map(|s| s.deepest.get_rule().copied())
                .collect();
        }
    }

    if let Some(quote) = unclosed_string(text, start) {
        return ParseError {
            code: "msr::syntax::unexpected",
            message: "this string is not closed".into(),
            start: quote,
            end: quote + 1,
            label: "the string starts here".into(),
            help: Some("end the string with `\"` on the same line".into()),
        };
    }

    let found = found_at(text, start);
    let end = (start + found.len()).min(text.len());
    let expected = expected_words(&rules, &tokens);
    let list = match expected.len() {
        0 => "something else".to_string(),
        1 => expected[0].clone(),
        n => format!("{} or {}", expected[..n - 1].join(", "), expected[n - 1]),
    };

    // At the end of the file there is nothing to underline: point at the last token.
    if found.is_empty() {
        let last = text.trim_end();
        let at = last.char_indices().last().map_or(0, |(i, _)| i);
        let closing = expected
            .iter()
            .find(|w| matches!(w.as_str(), "`}`" | "`)`" | "`]`"));
        let (message, label) = match closing {
            Some(c) => (
                format!("expected {c} before the end of the file"),
                format!("{c} missing after this"),
            ),
            None => (
                format!("expected {list}, found the end of the file"),
                format!("the file ends after this, but {list} should follow"),
            ),
        };
        return ParseError {
            code: "msr::syntax::unexpected",
            message,
            start: at,
            end: (at + 1).min(text.len()),
            label,
            help: Some("a block opened with `{` must be closed with `}`".into())
                .filter(|_| closing.is_some_and(|c| c == "`}`")),
        };
    }

    ParseError {
        code: "msr::syntax::unexpected",
        message: format!("expected {list}, found `{found}`"),
        start,
        end,
        label: format!("expected {list} here"),
        help: syntax_help(found, &expected)
            .or_else(|| misspelt_keyword(found, &expected))
            .or_else(|| missing_brace(text, start, &rules)),
    }
}

/// The keywords that open a declaration.
const DECLARATION_KEYWORDS: &[&str] = &[
    "bind",
    "dataset",
    "indicator",
    "lookup",
    "measure",
    "scale",
    "test",
    "use",
];

/// What the parser expected, in words: punctuation first, then kinds of thing.
fn expected_words(rules: &[Rule], tokens: &[String]) -> Vec<String> {
    let mut punctuation: Vec<String> = tokens
        .iter()
        .filter(|t| {
            matches!(
                t.as_str(),
                "=" | ":" | "," | "(" | ")" | "[" | "]" | "{" | "}" | "->"
            )
        })
        .map(|t| format!("`{t}`"))
        .collect();
    // `?` after a type is optional; when `=` or `->` would do, it only distracts.
    let follows_type = ["`=`", "`->`"].map(String::from);
    if tokens.iter().any(|t| t == "?") && !punctuation.iter().any(|p| follows_type.contains(p)) {
        punctuation.push("`?`".into());
    }
    let operators = tokens
        .iter()
        .any(|t| matches!(t.as_str(), "+" | "*" | "and" | "or" | "<="));
    let expression = tokens.iter().any(|t| t == "0..9" || t == "(");

    let mut words: Vec<String> = Vec::new();
    if expression || rules.contains(&Rule::expr) && !operators {
        words.push("an expression".into());
    }
    for rule in rules {
        // A list rule at the point of failure only wants its separator or its end.
        let list = matches!(rule, Rule::category_list | Rule::expr_list);
        if *rule == Rule::expr || *rule == Rule::file || (list && !punctuation.is_empty()) {
            continue;
        }
        if let Some(w) = rule_words(*rule) {
            words.push(w.to_string());
        }
    }
    let declarations: Vec<&str> = DECLARATION_KEYWORDS
        .iter()
        .copied()
        .filter(|k| tokens.iter().any(|t| t == k) || rules.contains(&Rule::file))
        .collect();
    if !declarations.is_empty() && (rules.contains(&Rule::file) || rules.is_empty()) {
        words.push("a declaration".into());
    }
    if operators && !expression {
        words.push("an operator".into());
    }
    if words.is_empty() && punctuation.is_empty() {
        words = rules
            .iter()
            .filter_map(|r| rule_words(*r))
            .map(String::from)
            .collect();
    }
    // `=` is also an operator, and `(` also starts an expression: say it once.
    if operators {
        punctuation.retain(|p| p != "`=`");
    }
    if words.iter().any(|w| w == "an expression") {
        punctuation.retain(|p| p != "`(`");
    }
    // Where `=` or `->` would do, the optional rest of a type (`<...>`, `per`, `?`) only
    // distracts; where a list could go on or end, so does a category's optional score.
    if punctuation.iter().any(|p| p == "`=`" || p == "`->`") {
        words.retain(|w| !matches!(w.as_str(), "`?`" | "a type" | "`per`"));
    }
    if punctuation.iter().any(|p| p == "`,`") && punctuation.iter().any(|p| p == "`]`") {
        punctuation.retain(|p| p != "`=`");
        words.retain(|w| w != "a category name");
    }
    let mut all = punctuation;
    for w in words {
        if !all.contains(&w) {
            all.push(w);
        }
    }
    all
}

/// The opening quote of a string left open on the line that holds `at` (or, at the end of
/// the file, on its last line).
fn unclosed_string(text: &str, at: usize) -> Option<usize> {
    let at = at.min(text.trim_end().len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    let mut open = None;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '/' if open.is_none() && line[i..].starts_with("//") => break,
            '\\' if open.is_some() => {
                chars.next();
            }
            '"' => {
                open = if open.is_some() {
                    None
                } else {
                    Some(line_start + i)
                }
            }
            _ => {}
        }
    }
    open
}

/// "did you mean `measure`?" for a misspelt declaration keyword.
fn misspelt_keyword(found: &str, expected: &[String]) -> Option<String> {
    if !expected.iter().any(|w| w == "a declaration") {
        return None;
    }
    crate::diagnostic::did_you_mean(found, DECLARATION_KEYWORDS.iter().copied())
        .map(|k| format!("did you mean `{k}`?"))
        .or_else(|| {
            Some(
                "a file holds `use`, `scale`, `dataset`, `lookup`, `measure` and `indicator` \
                 declarations"
                    .into(),
            )
        })
}

/// A hint when a declaration keyword appears where a block's entry was expected: the block
/// before it was probably not closed.
fn missing_brace(text: &str, at: usize, rules: &[Rule]) -> Option<String> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let first_word = text[line_start..].split_whitespace().next()?;
    let in_block = rules.iter().any(|r| {
        matches!(
            r,
            Rule::column_decl
                | Rule::dataset_decl
                | Rule::indicator_decl
                | Rule::fact
                | Rule::fact_arg
                | Rule::lookup_decl
                | Rule::lookup_entry
        )
    });
    (in_block && DECLARATION_KEYWORDS.contains(&first_word))
        .then(|| format!("is a `}}` missing before this `{first_word}`?"))
}

/// The token at `pos`, for the "found" part of a syntax error.
fn found_at(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    let rest = rest.trim_end_matches(['\r', '\n']);
    let first = match rest.chars().next() {
        Some(c) => c,
        None => return "",
    };
    let end = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len())
    } else if "=!<>&|".contains(first) {
        rest.find(|c: char| !"=!<>&|".contains(c))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    &rest[..end]
}

fn syntax_help(found: &str, expected: &[String]) -> Option<String> {
    match found {
        "=" if expected.iter().any(|w| w == "`:`") => Some(
            "a measure states its type before its formula, as in \
             `measure open_incidents : Count<incident> = count(incidents)`"
                .into(),
        ),
        "==" | "=" => Some("comparisons use a single `=`, as in `severity = high`".into()),
        "&&" | "&" => Some("write `and`".into()),
        "||" | "|" => Some("write `or`".into()),
        "!" => Some("write `not`, or `!=` for inequality".into()),
        "null" | "NULL" | "nil" => Some("a missing value is written `none`".into()),
        _ => None,
    }
}

fn rule_words(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::use_decl | Rule::kw_use => "`use`",
        Rule::scale_decl | Rule::kw_scale => "`scale`",
        Rule::dataset_decl | Rule::kw_dataset => "`dataset`",
        Rule::measure_decl | Rule::kw_measure => "`measure`",
        Rule::lookup_decl | Rule::kw_lookup => "`lookup`",
        Rule::lookup_key => "a key",
        Rule::kw_default => "`default`",
        Rule::lookup_value | Rule::negative => "a literal or a category",
        Rule::indicator_decl | Rule::kw_indicator => "`indicator`",
        Rule::scale_kind | Rule::kw_ordinal | Rule::kw_nominal => "`ordinal` or `nominal`",
        Rule::category_list | Rule::category => "a category name",
        Rule::score => "a score such as `3`",
        Rule::entity_entry | Rule::kw_entity => "`entity`",
        Rule::zone_entry | Rule::kw_zone => "`zone`",
        Rule::scale_type | Rule::kw_interval | Rule::kw_ratio => "a scale type",
        Rule::type_name => "a type",
        Rule::type_arg => "what the type counts, or a currency",
        Rule::per_unit | Rule::kw_per => "`per`",
        Rule::measure_role | Rule::kw_base | Rule::kw_derived => "`base` or `derived`",
        Rule::call => "a function call",
        Rule::source_entry | Rule::kw_source => "`source`",
        Rule::time_entry | Rule::kw_time => "`time`",
        Rule::column_decl => "a column declaration",
        Rule::type_ref => "a type",
        Rule::optional_mark => "`?`",
        Rule::group_by | Rule::kw_by => "`by`",
        Rule::group_key => "a column or time bucket",
        Rule::rollup => "a hierarchy",
        Rule::hierarchy_decl | Rule::kw_hierarchy => "`hierarchy`",
        Rule::bucket => "a time bucket",
        Rule::value_entry | Rule::kw_value => "`value`",
        Rule::target_entry | Rule::kw_target => "`target`",
        Rule::criteria_entry | Rule::kw_criteria => "`criteria`",
        Rule::band => "a status band",
        Rule::gate_entry | Rule::kw_gate => "`gate`",
        Rule::sample_entry | Rule::kw_sample => "`sample`",
        Rule::kw_when => "`when`",
        Rule::otherwise | Rule::kw_otherwise => "`otherwise`",
        Rule::fact => "a template fact",
        Rule::fact_arg => "a fact value",
        Rule::frequency_arg | Rule::frequency_kind => "a frequency",
        Rule::title => "a title",
        Rule::expr | Rule::expr_list => "an expression",
        Rule::op_or
        | Rule::op_and
        | Rule::op_eq
        | Rule::op_ne
        | Rule::op_le
        | Rule::op_ge
        | Rule::op_lt
        | Rule::op_gt
        | Rule::op_add
        | Rule::op_sub
        | Rule::op_mul
        | Rule::op_div => "an operator",
        Rule::compare_op => "a comparison such as `>=`",
        Rule::op_not | Rule::op_neg => "an expression",
        Rule::is_none | Rule::is_not_none | Rule::kw_is => "`is none`",
        Rule::in_list | Rule::not_in_list | Rule::kw_in => "`in [...]`",
        Rule::within | Rule::kw_within => "`within`",
        Rule::aggregate | Rule::aggregate_fn => "an aggregate such as `count(...)`",
        Rule::percentile_rank => "a percentile rank such as `90,`",
        Rule::row_value | Rule::kw_for => "`for`",
        Rule::period_column | Rule::kw_at => "`at`",
        Rule::filter | Rule::kw_where => "`where`",
        Rule::exception | Rule::kw_except => "`except`",
        Rule::relation | Rule::exists_relation | Rule::related_relation => {
            "a relation such as `exists(findings on asset_id = id)`"
        }
        Rule::kw_exists => "`exists`",
        Rule::kw_related => "`related`",
        Rule::relation_link => "a dataset and its key, as in `findings on asset_id = id`",
        Rule::kw_on => "`on`",
        Rule::related_column => "`.` and the column of the related row to read",
        Rule::name => "a name",
        Rule::string => "a string",
        Rule::datetime | Rule::date => "a date",
        Rule::duration => "a duration",
        Rule::percent => "a percentage",
        Rule::money => "an amount such as `100 EUR`",
        Rule::number => "a number",
        Rule::test_decl | Rule::kw_test => "`test`",
        Rule::bind_decl | Rule::kw_bind => "`bind`",
        Rule::column_binding => {
            "a column and its name in the file, such as `opened_at = \"Created\"`"
        }
        Rule::recode | Rule::recode_entry => {
            "a text and its category or boolean, such as `\"P1\" = critical` or `\"Y\" = true`"
        }
        Rule::test_period | Rule::kw_period => "`period`",
        Rule::test_series | Rule::kw_series => "`series`",
        Rule::test_zone => "`zone`",
        Rule::test_as_of | Rule::kw_as_of => "`as_of`",
        Rule::kw_to => "`to`",
        Rule::period_name => "a period such as `2025-09`",
        Rule::given_decl | Rule::kw_given => "`given`",
        Rule::fixture_file | Rule::kw_from => "`from`",
        Rule::fixture_table => "a table of rows in `{ }`",
        Rule::expectation | Rule::kw_expect => "`expect`",
        Rule::expect_diagnostic | Rule::kw_diagnostic => "`diagnostic`",
        Rule::diagnostic_code => "a diagnostic code such as `msr::data::bad_value`",
        Rule::kw_meets | Rule::kw_misses => "`meets target` or `misses target`",
        Rule::subject | Rule::status_subject | Rule::kw_status => {
            "a measure, an indicator or `status(...)`"
        }
        Rule::group_select => "a group such as `[\"finance\"]`",
        Rule::group_part => "a group key",
        Rule::expect_missing => "`is none`",
        Rule::expected => "a literal or a category",
        Rule::tolerance => "`within` and a tolerance",
        Rule::in_period => "`in` and a period",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Module {
        match parse_module(FileId(0), text) {
            Ok(m) => m,
            Err(e) => panic!("parse failed: {e:?}"),
        }
    }

    fn measure_expr(text: &str) -> Expr {
        let m = parse(&format!("measure m : Number = {text}"));
        m.measures[0].expr.clone()
    }

    /// A compact rendering of an expression tree, to check precedence.
    fn show(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Literal(l) => format!("{l:?}"),
            ExprKind::Name(i) => i.name.clone(),
            ExprKind::Unary(op, x) => format!("({op:?} {})", show(x)),
            ExprKind::Binary(op, a, b) => format!("({} {} {})", show(a), op.symbol(), show(b)),
            ExprKind::InList {
                value,
                list,
                negated,
            } => format!(
                "({} {}in [{}])",
                show(value),
                if *negated { "not " } else { "" },
                list.iter().map(show).collect::<Vec<_>>().join(", ")
            ),
            ExprKind::IsNone { value, negated } => {
                format!(
                    "({} is {}none)",
                    show(value),
                    if *negated { "not " } else { "" }
                )
            }
            ExprKind::Call { function, args } => format!(
                "{}({})",
                function.name,
                args.iter().map(show).collect::<Vec<_>>().join(", ")
            ),
            ExprKind::Within { value, window } => format!("({} within {window})", show(value)),
            ExprKind::Relation(r) => format!(
                "{}({} on {} = {}{}){}",
                if r.column.is_some() {
                    "related"
                } else {
                    "exists"
                },
                r.dataset.name,
                r.its_key.name,
                r.this_key.name,
                r.filter
                    .as_ref()
                    .map(|f| format!(" where {}", show(f)))
                    .unwrap_or_default(),
                r.column
                    .as_ref()
                    .map(|c| format!(".{}", c.name))
                    .unwrap_or_default(),
            ),
            ExprKind::Aggregate(a) => format!(
                "{}({}{}{}{})",
                a.func.keyword(),
                a.value
                    .as_ref()
                    .map(|v| format!("{} for ", show(v)))
                    .unwrap_or_default(),
                a.dataset.name,
                a.period_column
                    .as_ref()
                    .map(|c| format!(" at {}", c.name))
                    .unwrap_or_default(),
                a.filter
                    .as_ref()
                    .map(|f| format!(" where {}", show(f)))
                    .unwrap_or_default(),
            ),
        }
    }

    #[test]
    fn precedence_follows_arithmetic_then_comparison_then_logic() {
        let e = measure_expr("a + b * c >= d or not e and f");
        assert_eq!(show(&e), "(((a + (b * c)) >= d) or ((Not e) and f))");
    }

    #[test]
    fn postfix_tests_bind_tighter_than_logic() {
        let e = measure_expr("a - b is not none and c in [x, y] and d not in [z]");
        assert_eq!(
            show(&e),
            "((((a - b) is not none) and (c in [x, y])) and (d not in [z]))"
        );
    }

    #[test]
    fn aggregates_take_value_dataset_period_column_and_filter() {
        let e = measure_expr("mean(resolved_at - opened_at for incidents at resolved_at where resolved_at is not none)");
        assert_eq!(
            show(&e),
            "mean((resolved_at - opened_at) for incidents at resolved_at where (resolved_at is not none))"
        );
        let e = measure_expr("count distinct(asset for findings)");
        assert_eq!(show(&e), "count distinct(asset for findings)");
        let e = measure_expr("count(incidents)");
        assert_eq!(show(&e), "count(incidents)");
    }

    #[test]
    fn relations_take_a_dataset_two_keys_a_condition_and_a_column() {
        let e = measure_expr(
            "count(assets where not exists(findings on asset_id = id where cvss >= 7 and open))",
        );
        assert_eq!(
            show(&e),
            "count(assets where (Not exists(findings on asset_id = id where ((cvss >= Int(7)) and open))))"
        );
        let e = measure_expr("count(findings where related(assets on id = asset_id).exposed)");
        assert_eq!(
            show(&e),
            "count(findings where related(assets on id = asset_id).exposed)"
        );
        // A related value is an operand like any other.
        let e = measure_expr("count(f where related(a on id = a_id).cvss + 1 > 7 or x)");
        assert_eq!(
            show(&e),
            "count(f where (((related(a on id = a_id).cvss + Int(1)) > Int(7)) or x))"
        );
        // The words stay free as names and functions.
        let e = measure_expr("exists + related + on + exists(x)");
        assert_eq!(show(&e), "(((exists + related) + on) + exists(x))");
    }

    #[test]
    fn a_related_value_without_its_column_is_a_syntax_error_that_asks_for_it() {
        let err = parse_module(
            FileId(0),
            "measure m : Count = count(f where related(a on id = a_id))",
        )
        .unwrap_err();
        assert!(err[0].message.contains("`.`"), "{}", err[0].message);
    }

    #[test]
    fn percentile_rank_is_a_fraction() {
        let m = parse("measure p : Duration = percentile(90, d for incidents)");
        let ExprKind::Aggregate(a) = &m.measures[0].expr.kind else {
            panic!("not an aggregate")
        };
        assert_eq!(a.rank.map(|r| r.0), Some(0.9));
        assert_eq!(a.func, AggregateFn::Percentile);
    }

    #[test]
    fn literals_carry_values() {
        let lit = |t: &str| match measure_expr(t).kind {
            ExprKind::Literal(l) => l,
            other => panic!("not a literal: {other:?}"),
        };
        assert_eq!(lit("72h"), Literal::Duration(72 * 3_600_000_000));
        assert_eq!(lit("1d12h"), Literal::Duration(36 * 3_600_000_000));
        assert_eq!(lit("30m"), Literal::Duration(1_800_000_000));
        assert_eq!(lit("95%"), Literal::Percent(0.95));
        assert_eq!(lit("42"), Literal::Int(42));
        assert_eq!(lit("2.5"), Literal::Number(2.5));
        assert_eq!(lit("1970-01-02"), Literal::Date(1));
        assert_eq!(lit("1970-01-01T00:00:01Z"), Literal::DateTime(1_000_000));
        assert_eq!(lit("1970-01-01T01:00:00+01:00"), Literal::DateTime(0));
        assert_eq!(lit("1970-01-01T00:01"), Literal::DateTime(60_000_000));
        assert_eq!(lit("\"a \\\"b\\\"\""), Literal::Text("a \"b\"".into()));
        assert_eq!(lit("none"), Literal::None);
        assert_eq!(lit("true"), Literal::Bool(true));
    }

    #[test]
    fn declarations_lower_with_all_parts() {
        let m = parse(
            r#"
            use "common.msr"
            // a comment
            scale Severity = ordinal [low, medium, high, critical]
            /* block
               comment */
            dataset incidents "Tickets" {
              source "incidents.csv"
              time opened_at
              opened_at : DateTime
              resolved_at : DateTime?
              severity : Severity
            }
            measure total "All incidents" : Count = count(incidents) by month(opened_at)
            indicator sla "SLA" {
              id "B.7"
              value total
              target >= 95%
              criteria {
                green when value >= 95%
                red otherwise
              }
              by severity
              frequency collect monthly, report quarterly
              type effectiveness
              controls "A.5.24", "A.5.26"
            }
            "#,
        );
        assert_eq!(m.uses[0].path, "common.msr");
        assert_eq!(m.scales[0].categories.len(), 4);
        assert_eq!(m.scales[0].kind, ScaleKind::Ordinal);
        let d = &m.datasets[0];
        assert_eq!(d.title.as_deref(), Some("Tickets"));
        assert_eq!(d.sources[0].0, "incidents.csv");
        assert_eq!(d.time[0].name, "opened_at");
        assert!(d.columns[1].ty.optional);
        let g = &m.measures[0].group_by.as_ref().unwrap().keys[0];
        assert_eq!(
            (g.bucket, g.column.name.as_str()),
            (Some(Bucket::Month), "opened_at")
        );
        let i = &m.indicators[0];
        assert_eq!(i.criteria[0].0.len(), 2);
        assert!(i.criteria[0].0[1].condition.is_none());
        assert_eq!(i.targets[0].op, CompareOp::Ge);
        let facts: Vec<_> = i
            .facts
            .iter()
            .map(|f| (f.name.name.as_str(), f.args.len()))
            .collect();
        assert_eq!(
            facts,
            [("id", 1), ("frequency", 2), ("type", 1), ("controls", 2)]
        );
        assert!(matches!(i.facts[1].args[0], FactArg::Frequency { .. }));
    }

    #[test]
    fn lookups_lower_with_their_types_keys_and_values() {
        let m = parse(
            r#"
            lookup deadline "Deadline per severity" : Severity -> Duration {
              critical = 7d
              "high" = 30d, medium = -1.5h,
              default = none
            }
            lookup team : Text -> Severity { "web" = high }
            measure default_used : Duration = default(x, 0h)
            "#,
        );
        let l = &m.lookups[0];
        assert_eq!(l.name.name, "deadline");
        assert_eq!(l.title.as_deref(), Some("Deadline per severity"));
        assert_eq!(
            (
                l.key_type.name.name.as_str(),
                l.value_type.name.name.as_str()
            ),
            ("Severity", "Duration")
        );
        let keys: Vec<String> = l
            .entries
            .iter()
            .map(|e| match &e.key {
                LookupKey::Name(i) => i.name.clone(),
                LookupKey::Text(t, _) => format!("{t:?}"),
                LookupKey::Default(_) => "<default>".into(),
            })
            .collect();
        assert_eq!(keys, ["critical", "\"high\"", "medium", "<default>"]);
        let values: Vec<String> = l.entries.iter().map(|e| show(&e.value)).collect();
        assert_eq!(
            values,
            [
                "Duration(604800000000)",
                "Duration(2592000000000)",
                "(Neg Duration(5400000000))",
                "None"
            ]
        );
        assert!(matches!(
            m.lookups[1].entries[0].value.kind,
            ExprKind::Name(_)
        ));
        // `default` is a key only inside a lookup; elsewhere it is still the function.
        assert_eq!(show(&m.measures[0].expr), "default(x, Duration(0))");

        let err = parse_module(FileId(0), "lookup d : Severity Duration {}").unwrap_err();
        assert_eq!(err[0].message, "expected `->`, found `Duration`");
        let err = parse_module(FileId(0), "lookup d : Text -> Int { \"a\" = 1 + 2 }").unwrap_err();
        assert!(err[0].message.contains("`}`"), "{}", err[0].message);
    }

    #[test]
    fn keywords_are_not_names_but_prefixes_of_names_are() {
        let e = measure_expr("order + android + notable");
        assert_eq!(show(&e), "((order + android) + notable)");
        assert!(parse_module(FileId(0), "measure and : Count = 1").is_err());
    }

    #[test]
    fn syntax_errors_say_what_was_expected_in_words() {
        let err =
            parse_module(FileId(0), "measure m : Count = count(incidents where)").unwrap_err();
        assert_eq!(err[0].code, "msr::syntax::unexpected");
        assert!(
            err[0].message.contains("an expression"),
            "{}",
            err[0].message
        );
        let err = parse_module(FileId(0), "measure m : Count = a == b").unwrap_err();
        assert!(err[0].help.as_deref().unwrap_or("").contains("single `=`"));
        let err = parse_module(FileId(0), "measure m = count(incidents)").unwrap_err();
        let help = err[0].help.as_deref().unwrap_or("");
        assert!(help.contains("states its type"), "{help}");
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let text = format!(
            "measure m : Number = {}1{}",
            "(".repeat(5000),
            ")".repeat(5000)
        );
        let err = check_nesting(&text).expect("too deep");
        assert_eq!(err.code, "msr::syntax::too_deep");
        let text = format!("measure m : Number = {}1{}", "(".repeat(60), ")".repeat(60));
        assert!(check_nesting(&text).is_none());
        assert!(parse_module(FileId(0), &text).is_ok());
    }

    #[test]
    fn spans_end_at_the_last_token_not_at_trailing_comments() {
        assert_eq!(trimmed_len("target >= 5   // a comment\n  "), 11);
        assert_eq!(trimmed_len("x /* c */ \n"), 1);
        assert_eq!(trimmed_len("\"a // b\""), 8);
        let m = parse("indicator i {\n  value x   // note\n  target >= 5 /* c */\n}");
        let t = &m.indicators[0].targets[0];
        assert_eq!(t.span.end - t.span.start, "target >= 5".len() as u32);
        assert_eq!(
            m.indicators[0].values[0].span.end - m.indicators[0].values[0].span.start,
            1
        );
    }

    #[test]
    fn long_operator_chains_are_refused_quickly() {
        let chain = vec!["1"; 20_000].join(" + ");
        let err = parse_module(FileId(0), &format!("measure m : Int = {chain}")).unwrap_err();
        assert_eq!(err[0].code, "msr::syntax::too_deep");
        let nots = "not ".repeat(20_000);
        let err = parse_module(FileId(0), &format!("measure m : Bool = {nots} true")).unwrap_err();
        assert_eq!(err[0].code, "msr::syntax::too_deep");
        let chain = vec!["1"; 200].join(" + ");
        assert!(parse_module(FileId(0), &format!("measure m : Int = {chain}")).is_ok());
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count_as_nesting() {
        let text = format!(
            "// {}\nmeasure m : Text = \"{}\"",
            "(".repeat(100),
            "[".repeat(100)
        );
        assert!(check_nesting(&text).is_none());
    }
}
