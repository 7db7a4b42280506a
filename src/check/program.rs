//! The checked programme: every name resolved, every expression typed.
//!
//! This is what the evaluator runs. References are indices (a measure refers to another by
//! [`MeasureId`], a row expression to a column by its index in the dataset), so evaluation
//! never looks a name up.

use std::collections::HashMap;
use std::sync::Arc;

use crate::data::Schema;
use crate::syntax::ast::{AggregateFn, BinaryOp, Bucket, CompareOp, Literal, ScaleKind, UnaryOp};
use crate::syntax::{SourceMap, Span};

use super::types::{EntityId, ScaleId, ScaleType, Type, TypeNames};

pub type DatasetId = usize;
pub type MeasureId = usize;
pub type AggregateId = usize;
pub type HierarchyId = usize;
pub type RelationId = usize;
pub type LookupId = usize;
pub type IndicatorId = usize;

/// A checked programme, ready to evaluate.
#[derive(Debug, Clone, Default)]
pub struct Program {
    pub sources: SourceMap,
    pub scales: Vec<Scale>,
    /// The scale and entity names that types refer to.
    pub names: TypeNames,
    pub datasets: Vec<Dataset>,
    pub hierarchies: Vec<Hierarchy>,
    pub lookups: Vec<Lookup>,
    pub measures: Vec<Measure>,
    /// Each measure by its name, so that resolving a name is not a search.
    pub measure_ids: HashMap<String, MeasureId>,
    /// Measures ordered so that each comes after every measure it uses.
    pub order: Vec<MeasureId>,
    pub aggregates: Vec<Aggregate>,
    /// The relations that row expressions read, inner ones (in a relation's condition)
    /// before the relation that holds them.
    pub relations: Vec<Relation>,
    pub indicators: Vec<Indicator>,
    /// The nominal scale of the statuses indicators can have, which `status(indicator)`
    /// gives values of: every status a band or gate names, and `insufficient_data`.
    pub status_scale: Option<ScaleId>,
    /// The `test` blocks of every file, in file order.
    pub tests: Vec<super::Test>,
}

impl Program {
    pub fn type_name(&self, ty: Type) -> String {
        ty.display(&self.names)
    }

    pub fn measure(&self, name: &str) -> Option<MeasureId> {
        self.measure_ids.get(name).copied()
    }

    pub fn lookup(&self, name: &str) -> Option<LookupId> {
        self.lookups.iter().position(|l| l.name == name)
    }

    pub fn indicator(&self, name: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.name == name)
    }

    /// The measures that use any of `measures`, directly or through other measures, in
    /// the order they are evaluated; `measures` themselves are not among them.
    pub fn measures_using(&self, measures: &[MeasureId]) -> Vec<MeasureId> {
        let mut affected = vec![false; self.measures.len()];
        for &m in measures {
            affected[m] = true;
        }
        let mut found = Vec::new();
        // The order puts every measure after those it uses, so one sweep is enough.
        for &m in &self.order {
            if !affected[m] && self.measures[m].depends_on.iter().any(|d| affected[*d]) {
                affected[m] = true;
                found.push(m);
            }
        }
        found
    }

    /// The indicators that use any of `measures`, or the status of any of `indicators`
    /// or of another indicator found, in declaration order; `indicators` themselves are
    /// not among them.
    pub fn indicators_using(&self, measures: &[MeasureId], indicators: &[usize]) -> Vec<usize> {
        let mut affected = vec![false; self.indicators.len()];
        for &i in indicators {
            affected[i] = true;
        }
        let mut found = Vec::new();
        // Statuses can chain from one indicator to the next; go round until nothing changes.
        loop {
            let before = found.len();
            for (id, indicator) in self.indicators.iter().enumerate() {
                if affected[id] {
                    continue;
                }
                let uses = indicator.expressions().any(|e| {
                    e.any(&mut |e| match &e.kind {
                        ExprKind::Measure(m) => measures.contains(m),
                        ExprKind::Call(Function::Status { indicator, .. }, _) => {
                            affected[*indicator]
                        }
                        _ => false,
                    })
                });
                if uses {
                    affected[id] = true;
                    found.push(id);
                }
            }
            if found.len() == before {
                break;
            }
        }
        found.sort_unstable();
        found
    }
}

#[derive(Debug, Clone)]
pub struct Scale {
    pub name: String,
    pub kind: ScaleKind,
    /// Lowest first for an ordinal scale.
    pub categories: Vec<String>,
    /// The numeric mapping, one score per category, when the scale declares one.
    pub scores: Option<Vec<f64>>,
    pub span: Span,
}

impl Scale {
    /// The start of a numeric mapping for the scale, for help lines: `low = 1, medium = 2`.
    pub fn scores_example(&self) -> String {
        self.categories
            .iter()
            .take(2)
            .enumerate()
            .map(|(i, c)| format!("{c} = {}", i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Debug, Clone)]
pub struct DatasetColumn {
    pub name: String,
    pub ty: Type,
    pub optional: bool,
    pub span: Span,
    /// The column's name in the data file, when a `bind` gives one.
    pub source_name: Option<String>,
    /// Texts the data file writes categories as, from a `bind`, with each category's index.
    pub aliases: Vec<(String, u16)>,
    /// Texts the data file writes a boolean column's values as, from a `bind`.
    pub bool_texts: Vec<(String, bool)>,
    /// The data file does not have the column, as a `bind` says with `= none`.
    pub absent: bool,
}

#[derive(Debug, Clone)]
pub struct Dataset {
    pub name: String,
    pub title: Option<String>,
    /// The source path as written, relative to the data directory.
    pub source: String,
    pub source_span: Span,
    /// The column that places rows in reporting periods; `None` for a snapshot.
    pub time: Option<usize>,
    /// What one row is: what `count(dataset)` counts.
    pub entity: EntityId,
    /// The time zone its timestamps without an offset are local to; UTC when `None`.
    pub zone: Option<chrono_tz::Tz>,
    pub columns: Vec<DatasetColumn>,
    pub span: Span,
}

impl Dataset {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The schema the loader validates rows against.
    pub fn schema(&self, scales: &[Scale]) -> Schema {
        Schema {
            zone: self.zone,
            dataset: self.name.clone(),
            columns: self
                .columns
                .iter()
                .map(|c| {
                    let mut ty = super::column_type(scales, c.ty);
                    if let crate::data::ColumnType::Category { aliases, .. } = &mut ty {
                        *aliases = c
                            .aliases
                            .iter()
                            .map(|(text, i)| (text.as_str().into(), *i))
                            .collect();
                    }
                    crate::data::ColumnSpec {
                        name: c.name.clone(),
                        ty,
                        optional: c.optional,
                        source_name: c.source_name.clone(),
                        absent: c.absent,
                        bool_texts: c
                            .bool_texts
                            .iter()
                            .map(|(text, b)| (text.as_str().into(), *b))
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

/// A tree of units: each row of a dataset is a node, named by one column, under the node
/// another column names.
/// A lookup table: a constant value per category of a scale, or per text.
#[derive(Debug, Clone)]
pub struct Lookup {
    pub name: String,
    pub title: Option<String>,
    /// A category of a scale or `Text`; [`Type::Error`] when the declaration is wrong.
    pub key: Type,
    pub value: Type,
    pub table: Arc<LookupTable>,
    /// Why a present key may give a missing value: never when every key has a value.
    pub absence: Absence,
    pub span: Span,
    /// Where the key type is written, for diagnostics about keys.
    pub key_span: Span,
}

/// The entries of a lookup, as evaluation reads them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LookupTable {
    pub name: String,
    /// For a lookup keyed by a scale: the entry of each category, by the category's index.
    pub categories: Vec<Option<Constant>>,
    /// For a lookup keyed by text: the entry of each key.
    pub texts: HashMap<String, Constant>,
    /// The value of every key without an entry of its own.
    pub default: Option<Constant>,
}

impl LookupTable {
    pub fn by_category(&self, category: u16) -> Option<&Constant> {
        let own = self
            .categories
            .get(category as usize)
            .and_then(Option::as_ref);
        own.or(self.default.as_ref())
    }

    pub fn by_text(&self, key: &str) -> Option<&Constant> {
        self.texts.get(key).or(self.default.as_ref())
    }
}

/// A value fixed in the programme: a literal or a category of a scale, by index.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    Literal(Literal),
    Category(u16),
}

/// How a value is split into groups: by a column's values or by a time bucket of one.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    pub name: String,
    pub title: Option<String>,
    pub dataset: DatasetId,
    /// The columns naming a node and its parent.
    pub node: usize,
    pub parent: usize,
    pub span: Span,
}

/// How a value is split into groups: by a column's values or by a time bucket of one.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    /// One key or several: the groups are the combinations of the keys' groups.
    pub keys: Vec<GroupingKey>,
    pub span: Span,
}

/// One key of a grouping: a column, or a time bucket of one.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupingKey {
    pub bucket: Option<Bucket>,
    /// The hierarchy the column's values roll up along: a group holds its unit's rows and
    /// those of every unit below it.
    pub hierarchy: Option<HierarchyId>,
    pub hierarchy_name: Option<String>,
    pub column: String,
    /// The column's type (the same in every dataset read).
    pub key_type: Type,
}

impl GroupingKey {
    /// How the key is written: `business_unit` or `month(opened_at)`.
    pub fn label(&self) -> String {
        match (self.bucket, &self.hierarchy_name) {
            (Some(b), _) => format!("{}({})", b.keyword(), self.column),
            (None, Some(h)) => format!("{h}({})", self.column),
            (None, None) => self.column.clone(),
        }
    }
}

impl Grouping {
    /// The hierarchy a grouping rolls up along, if it does.
    pub fn hierarchy(&self) -> Option<HierarchyId> {
        self.keys.iter().find_map(|k| k.hierarchy)
    }

    /// How the grouping is written: `business_unit` or `business_unit, month(opened_at)`.
    pub fn label(&self) -> String {
        let keys: Vec<String> = self.keys.iter().map(GroupingKey::label).collect();
        keys.join(", ")
    }
}

/// How a measure relates to the data (ISO/IEC 15939).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MeasureKind {
    /// Aggregates a dataset directly and uses no other measure.
    Base,
    /// Combines other measures.
    Derived,
    /// Reads no data at all: a fixed value such as a threshold.
    Constant,
}

impl MeasureKind {
    pub fn keyword(self) -> &'static str {
        match self {
            MeasureKind::Base => "base",
            MeasureKind::Derived => "derived",
            MeasureKind::Constant => "constant",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Measure {
    pub name: String,
    pub title: Option<String>,
    /// The type as declared.
    pub declared: Type,
    /// The scale type the declaration states, if it states one.
    pub declared_scale: Option<ScaleType>,
    /// The type of the measure's values: the declared one, made precise by the expression
    /// where the declaration leaves something open.
    pub ty: Type,
    pub kind: MeasureKind,
    pub expr: Expr,
    pub group_by: Option<Grouping>,
    /// Every dataset the measure reads, directly or through the measures it uses.
    pub reads: Vec<DatasetId>,
    /// The measures its expression uses directly.
    pub depends_on: Vec<MeasureId>,
    pub span: Span,
    pub name_span: Span,
    pub type_span: Span,
}

#[derive(Debug, Clone)]
pub struct Target {
    pub op: CompareOp,
    pub value: Expr,
    pub span: Span,
}

/// One band of the decision criteria; `condition` is `None` for `otherwise`.
#[derive(Debug, Clone)]
pub struct Band {
    pub status: String,
    pub condition: Option<Expr>,
    pub span: Span,
}

/// How a measure serves its information need (ISO/IEC 27004 clause 7; NIST SP 800-55).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MeasureType {
    Performance,
    Effectiveness,
    Implementation,
    Efficiency,
    Impact,
}

/// How often a measure is collected, analysed, reported and reviewed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Frequencies {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collect: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analyse: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
}

/// The ISO/IEC 27004 template facts of an indicator.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Facts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub need: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub measure_type: Option<MeasureType>,
    #[serde(skip_serializing_if = "is_default")]
    pub frequency: Frequencies,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

fn is_default(f: &Frequencies) -> bool {
    *f == Frequencies::default()
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub name: String,
    pub title: Option<String>,
    pub value: Expr,
    pub target: Option<Target>,
    pub criteria: Vec<Band>,
    /// Gates, tried before the criteria: the first that holds gives its status.
    pub gates: Vec<Band>,
    /// The condition a status needs; when it does not hold, the status is
    /// `insufficient data`.
    pub sample: Option<Expr>,
    pub group_by: Option<Grouping>,
    pub facts: Facts,
    /// Every dataset the indicator reads.
    pub reads: Vec<DatasetId>,
    pub span: Span,
}

impl Indicator {
    /// Every expression of the indicator: its value, target, sample, criteria and gates.
    pub fn expressions(&self) -> impl Iterator<Item = &Expr> {
        std::iter::once(&self.value)
            .chain(self.target.as_ref().map(|t| &t.value))
            .chain(self.sample.as_ref())
            .chain(
                self.criteria
                    .iter()
                    .chain(&self.gates)
                    .filter_map(|b| b.condition.as_ref()),
            )
    }
}

/// An aggregate over the rows of one dataset.
#[derive(Debug, Clone)]
pub struct Aggregate {
    pub func: AggregateFn,
    /// The rank of a percentile as a fraction; 0.5 for a median.
    pub rank: f64,
    /// The per-row value; `None` counts rows.
    pub value: Option<Expr>,
    pub dataset: DatasetId,
    /// The date-time column that places rows in the period; `None` uses the dataset's own
    /// time column, and a snapshot dataset has none.
    pub period_column: Option<usize>,
    pub filter: Option<Expr>,
    /// Rows left out on purpose before the filter, and counted as excepted.
    pub except: Option<Expr>,
    pub ty: Type,
    pub span: Span,
}

/// A relation from the rows of a row expression's dataset to the rows of another dataset
/// whose key equals theirs: what `exists(...)` and `related(...).column` read.
#[derive(Debug, Clone)]
pub struct Relation {
    /// The related dataset.
    pub dataset: DatasetId,
    /// The related dataset's key column.
    pub key: usize,
    /// The condition a related row must meet, over the related dataset's columns.
    pub filter: Option<Expr>,
    /// The column of the related row that `related(...).column` reads; `None` for
    /// `exists(...)`.
    pub column: Option<usize>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Literal(Literal),
    /// A category of a scale, by index.
    Category(ScaleId, u16),
    Measure(MeasureId),
    /// A column of the dataset of the enclosing aggregate, by index.
    Column(usize),
    /// The value of the enclosing indicator, in its criteria.
    IndicatorValue,
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    InList {
        value: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    IsNone {
        value: Box<Expr>,
        negated: bool,
    },
    Aggregate(AggregateId),
    /// `exists(...)`, true when a related row is there, or `related(...).column`, that
    /// row's column; `key` is this row's key.
    Relation {
        relation: RelationId,
        key: Box<Expr>,
    },
    Call(Function, Vec<Expr>),
    Clock(Clock),
    /// Stands for an expression that failed to check.
    Error,
}

/// The functions an expression can apply.
#[derive(Debug, Clone, PartialEq)]
pub enum Function {
    /// `score(x)`: a category's score on the numeric mapping of its scale, whose scores
    /// are kept here so that evaluation needs no lookup.
    Score { scale: ScaleId, scores: Arc<[f64]> },
    /// `default(x, fallback)`: `x`, or `fallback` where `x` is missing.
    Default,
    /// `previous(x)`: `x` in the period before.
    Previous,
    /// `change(x)`: `x` minus `x` in the period before.
    Change,
    /// `relative_change(x)`: the change as a fraction of `x` in the period before.
    RelativeChange,
    /// `mean_over(x, n)`: the mean of `x` over the last `n` periods, this one included.
    MeanOver(u32),
    /// `trend(x, n)`: the least-squares slope of `x` over the last `n` periods, per period.
    Trend(u32),
    /// `rising(x, n)`: whether `x` rose in each of the last `n` periods.
    Rising(u32),
    /// `falling(x, n)`: whether `x` fell in each of the last `n` periods.
    Falling(u32),
    /// `status(indicator)`: the status another indicator has, as a category of the status
    /// scale, whose names are kept here in order.
    Status {
        indicator: usize,
        statuses: Arc<[String]>,
    },
    /// `normalise(x, worst, best)`: how far `x` lies from `worst` to `best`, from 0 to 1.
    Normalise,
    /// `clamp(x, low, high)`: `x`, kept between the two.
    Clamp,
    /// `mean_by(x, key)`, `min_by(x, key)`, `max_by(x, key)`: `x` per group of `key`, then
    /// the mean, least or greatest of the groups' values: the mean of per-entity ratios,
    /// or the weakest link.
    OverGroups {
        of: GroupSummary,
        grouping: Box<Grouping>,
        reads: Vec<DatasetId>,
    },
    /// `name(key)`: the entry of a lookup table for the key, whose entries are kept here so
    /// that evaluation needs no lookup of the table itself.
    Lookup(Arc<LookupTable>),
}

/// How the values of groups are summed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupSummary {
    Mean,
    Min,
    Max,
}

impl Function {
    pub fn name(&self) -> &str {
        match self {
            Function::Lookup(table) => &table.name,
            Function::Score { .. } => "score",
            Function::Default => "default",
            Function::Previous => "previous",
            Function::Change => "change",
            Function::RelativeChange => "relative_change",
            Function::MeanOver(_) => "mean_over",
            Function::Trend(_) => "trend",
            Function::Rising(_) => "rising",
            Function::Falling(_) => "falling",
            Function::Status { .. } => "status",
            Function::Normalise => "normalise",
            Function::Clamp => "clamp",
            Function::OverGroups { of, .. } => match of {
                GroupSummary::Mean => "mean_by",
                GroupSummary::Min => "min_by",
                GroupSummary::Max => "max_by",
            },
        }
    }

    /// How many periods back from the current one the function reads its argument, for a
    /// function of the argument's history.
    pub fn looks_back(&self) -> Option<u32> {
        match self {
            Function::Score { .. }
            | Function::Default
            | Function::Status { .. }
            | Function::Normalise
            | Function::Clamp
            | Function::OverGroups { .. }
            | Function::Lookup(_) => None,
            Function::Previous | Function::Change | Function::RelativeChange => Some(1),
            Function::MeanOver(n) | Function::Trend(n) => Some(n.saturating_sub(1)),
            Function::Rising(n) | Function::Falling(n) => Some(*n),
        }
    }
}

/// An instant that depends on the run: its reference time and the bounds of its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The moment the evaluation looks from: the end of the period, or `--as-of`.
    AsOf,
    PeriodStart,
    PeriodEnd,
}

impl Clock {
    pub fn name(self) -> &'static str {
        match self {
            Clock::AsOf => "as_of",
            Clock::PeriodStart => "period_start",
            Clock::PeriodEnd => "period_end",
        }
    }
}

/// The reasons a value may be missing, as far as the checker can tell before any data is
/// read. Empty for a value that is always present, such as a count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Absence(u8);

impl Absence {
    pub const NEVER: Absence = Absence(0);
    /// An input may be empty: an optional column, or `none`.
    pub const INPUT: Absence = Absence(1);
    /// An aggregate may have no values in the period.
    pub const NO_VALUES: Absence = Absence(2);
    /// A divisor may be zero.
    pub const DIVISION: Absence = Absence(4);
    /// Every value of a sum may be missing.
    pub const ALL_MISSING: Absence = Absence(8);
    /// A value of an earlier period, or a bound of the period, may not exist: the data
    /// starts later, or no period was given.
    pub const NO_PERIOD: Absence = Absence(16);
    /// A relation may find no related row, or several.
    pub const NO_RELATED_ROW: Absence = Absence(32);
    /// A lookup may have no entry for the key.
    pub const NO_ENTRY: Absence = Absence(32);

    pub fn union(self, other: Absence) -> Absence {
        Absence(self.0 | other.0)
    }

    pub fn is_never(self) -> bool {
        self.0 == 0
    }

    /// The reasons, in words: `["no values", "division by zero"]`.
    pub fn reasons(self) -> Vec<&'static str> {
        [
            (Absence::INPUT, "missing input"),
            (Absence::NO_VALUES, "no values"),
            (Absence::DIVISION, "division by zero"),
            (Absence::ALL_MISSING, "every value missing"),
            (Absence::NO_PERIOD, "no such period"),
            (Absence::NO_RELATED_ROW, "no single related row"),
            (Absence::NO_ENTRY, "no entry for the key"),
        ]
        .into_iter()
        .filter(|(a, _)| self.0 & a.0 != 0)
        .map(|(_, words)| words)
        .collect()
    }
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
    /// Why the value may be missing.
    pub absence: Absence,
    pub span: Span,
}

impl Expr {
    pub fn new(kind: ExprKind, ty: Type, absence: Absence, span: Span) -> Self {
        Expr {
            kind,
            ty,
            absence,
            span,
        }
    }

    pub fn error(span: Span) -> Self {
        Expr::new(ExprKind::Error, Type::Error, Absence::NEVER, span)
    }

    /// Whether `test` holds for this expression or any expression inside it (as
    /// [`Expr::children`] finds them).
    pub fn any(&self, test: &mut impl FnMut(&Expr) -> bool) -> bool {
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            if test(e) {
                return true;
            }
            stack.extend(e.children());
        }
        false
    }

    /// The expressions directly inside this one; not those of measures it names, of
    /// aggregates it uses, or of the conditions of relations it reads, which are over
    /// another dataset's columns.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Unary(_, x)
            | ExprKind::IsNone { value: x, .. }
            | ExprKind::Relation { key: x, .. } => vec![x],
            ExprKind::Binary(_, x, y) => vec![x, y],
            ExprKind::InList { value, list, .. } => {
                std::iter::once(&**value).chain(list.iter()).collect()
            }
            ExprKind::Call(_, args) => args.iter().collect(),
            ExprKind::Literal(_)
            | ExprKind::Category(..)
            | ExprKind::Measure(_)
            | ExprKind::Column(_)
            | ExprKind::IndicatorValue
            | ExprKind::Aggregate(_)
            | ExprKind::Clock(_)
            | ExprKind::Error => Vec::new(),
        }
    }
}
