//! The abstract syntax tree of one `.msr` file.
//!
//! Every node carries a [`Span`]: the file it came from and its byte range there. Names are
//! not resolved here; that is the checker's work.

use std::fmt;

/// Index of a source file in a [`super::SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both, which must be in the same file.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// A parsed file: its declarations in source order.
#[derive(Debug, Clone, Default)]
pub struct Module {
    pub file: FileId,
    pub uses: Vec<Use>,
    pub scales: Vec<ScaleDecl>,
    pub datasets: Vec<DatasetDecl>,
    pub hierarchies: Vec<HierarchyDecl>,
    pub lookups: Vec<LookupDecl>,
    pub measures: Vec<MeasureDecl>,
    pub indicators: Vec<IndicatorDecl>,
    pub tests: Vec<TestDecl>,
    pub binds: Vec<BindDecl>,
}

/// `hierarchy org "Organisation" = units(unit, parent)`: the rows of `units` are the nodes,
/// named by column `unit`, each under the node its column `parent` names.
#[derive(Debug, Clone)]
pub struct HierarchyDecl {
    pub name: Ident,
    pub title: Option<String>,
    pub dataset: Ident,
    pub node: Ident,
    pub parent: Ident,
    pub span: Span,
}

/// `use "common.msr"`: the path is relative to the importing file.
#[derive(Debug, Clone)]
pub struct Use {
    pub path: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleKind {
    Nominal,
    Ordinal,
}

/// `scale Severity = ordinal [low, medium, high, critical]`
#[derive(Debug, Clone)]
pub struct ScaleDecl {
    pub name: Ident,
    pub kind: ScaleKind,
    /// In order, lowest first for an ordinal scale.
    pub categories: Vec<CategoryDecl>,
    pub span: Span,
}

/// A category of a scale, with its score when the scale declares a numeric mapping:
/// `managed = 3`.
#[derive(Debug, Clone)]
pub struct CategoryDecl {
    pub name: Ident,
    pub score: Option<(f64, Span)>,
}

/// The scale types a designer can state in a type: `ordinal Severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleTypeName {
    Nominal,
    Ordinal,
    Interval,
    Ratio,
}

/// A type as written: `DateTime?`, `Severity`, `Count<incident>`, `Money<EUR> per asset`,
/// `ordinal Severity`.
#[derive(Debug, Clone)]
pub struct TypeRef {
    pub scale_type: Option<(ScaleTypeName, Span)>,
    pub name: Ident,
    /// The argument in angle brackets: what a count counts, a currency, a scale.
    pub arg: Option<Ident>,
    /// `per ENTITY`.
    pub per: Option<Ident>,
    pub optional: bool,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ColumnDecl {
    pub name: Ident,
    pub ty: TypeRef,
    pub span: Span,
}

/// `dataset incidents "title" { source "..." time opened_at  id : Int ... }`
#[derive(Debug, Clone)]
pub struct DatasetDecl {
    pub name: Ident,
    pub title: Option<String>,
    /// The source path as written, and its span; several are an error the checker reports.
    pub sources: Vec<(String, Span)>,
    pub time: Vec<Ident>,
    /// What one row is (`entity incident`); several are an error the checker reports.
    pub entity: Vec<Ident>,
    /// `zone "Europe/Berlin"`, with its span; several are an error the checker reports.
    pub zones: Vec<(String, Span)>,
    pub columns: Vec<ColumnDecl>,
    pub span: Span,
}

/// `lookup name "title" : KeyType -> ValueType { key = value ... default = value }`
#[derive(Debug, Clone)]
pub struct LookupDecl {
    pub name: Ident,
    pub title: Option<String>,
    pub key_type: TypeRef,
    pub value_type: TypeRef,
    /// In source order, `default` among them.
    pub entries: Vec<LookupEntry>,
    pub span: Span,
}

/// The key of a lookup entry as written.
#[derive(Debug, Clone)]
pub enum LookupKey {
    /// A bare name: a category of the key scale.
    Name(Ident),
    /// A quoted key: a text, or a category written as text.
    Text(String, Span),
    /// `default`: the value of every key without an entry of its own.
    Default(Span),
}

impl LookupKey {
    pub fn span(&self) -> Span {
        match self {
            LookupKey::Name(ident) => ident.span,
            LookupKey::Text(_, span) | LookupKey::Default(span) => *span,
        }
    }
}

/// `critical = 7d`: one key and its value, a literal (possibly negated) or a bare name.
#[derive(Debug, Clone)]
pub struct LookupEntry {
    pub key: LookupKey,
    pub value: Expr,
    pub span: Span,
}

/// A time bucket that groups rows by the calendar unit their timestamp falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Bucket {
    pub fn keyword(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
            Bucket::Quarter => "quarter",
            Bucket::Year => "year",
        }
    }
}

/// `by business_unit`, `by month(opened_at)`, or several keys: `by business_unit, severity`.
#[derive(Debug, Clone)]
pub struct GroupBy {
    pub keys: Vec<GroupKey>,
    pub span: Span,
}

/// One key of a `by` clause: a column, a time bucket of one, or a hierarchy that rolls its
/// values up (`org(business_unit)`).
#[derive(Debug, Clone)]
pub struct GroupKey {
    pub bucket: Option<Bucket>,
    pub hierarchy: Option<Ident>,
    pub column: Ident,
    pub span: Span,
}

/// Whether a measure aggregates data itself or combines other measures, as stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureRole {
    Base,
    Derived,
}

/// `[base|derived] measure name "title" : Type = expr by key`
#[derive(Debug, Clone)]
pub struct MeasureDecl {
    pub role: Option<(MeasureRole, Span)>,
    pub name: Ident,
    pub title: Option<String>,
    pub ty: TypeRef,
    pub expr: Expr,
    pub group_by: Option<GroupBy>,
    pub span: Span,
}

/// An expression on its own, with an optional grouping, as the REPL takes it:
/// `count(incidents where severity >= high) by business_unit`.
#[derive(Debug, Clone)]
pub struct Query {
    pub expr: Expr,
    pub group_by: Option<GroupBy>,
    pub span: Span,
}

/// One argument of a template fact: a string, a name, or a frequency such as
/// `collect monthly`.
#[derive(Debug, Clone)]
pub enum FactArg {
    Text(String, Span),
    Name(Ident),
    Frequency { kind: Ident, every: Ident },
}

impl FactArg {
    pub fn span(&self) -> Span {
        match self {
            FactArg::Text(_, span) => *span,
            FactArg::Name(ident) => ident.span,
            FactArg::Frequency { kind, every } => kind.span.to(every.span),
        }
    }
}

/// An ISO/IEC 27004 template fact of an indicator: `owner "Head of SOC"`.
#[derive(Debug, Clone)]
pub struct Fact {
    pub name: Ident,
    pub args: Vec<FactArg>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

/// `target >= 95%`
#[derive(Debug, Clone)]
pub struct Target {
    pub op: CompareOp,
    pub value: Expr,
    pub span: Span,
}

/// One band of the decision criteria: `green when value >= 95%` or `red otherwise`.
#[derive(Debug, Clone)]
pub struct Band {
    pub status: Ident,
    /// `None` for `otherwise`.
    pub condition: Option<Expr>,
    pub span: Span,
}

/// `indicator name "title" { value ... target ... criteria { ... } facts... }`
#[derive(Debug, Clone)]
pub struct IndicatorDecl {
    pub name: Ident,
    pub title: Option<String>,
    pub values: Vec<Expr>,
    pub targets: Vec<Target>,
    pub criteria: Vec<(Vec<Band>, Span)>,
    /// `gate STATUS when CONDITION`, in order.
    pub gates: Vec<Band>,
    /// `sample CONDITION`; several are an error the checker reports.
    pub samples: Vec<Expr>,
    pub group_by: Vec<GroupBy>,
    pub facts: Vec<Fact>,
    pub span: Span,
}

/// `bind incidents { source "jira.csv"  detected_at = "Created" }`: the file a dataset
/// declared elsewhere is read from, and the names that file gives its columns.
#[derive(Debug, Clone)]
pub struct BindDecl {
    pub dataset: Ident,
    /// Several are an error the checker reports.
    pub sources: Vec<(String, Span)>,
    pub zones: Vec<(String, Span)>,
    pub columns: Vec<ColumnBinding>,
    pub span: Span,
}

/// `severity = "Priority" { "P1" = critical }`: the file's name for a column, and the texts
/// it writes categories as; or `occurred_at = none`, a column the file does not have.
#[derive(Debug, Clone)]
pub struct ColumnBinding {
    pub column: Ident,
    /// The file's name for the column; `None` for `= none`, whose span is in `span`.
    pub file_name: Option<(String, Span)>,
    /// Each text with the category or boolean it stands for.
    pub recode: Vec<((String, Span), Recoded)>,
    pub span: Span,
}

/// What a text of the file stands for in a binding's recoding.
#[derive(Debug, Clone)]
pub enum Recoded {
    /// A category of the column's scale: `"P1" = critical`.
    Category(Ident),
    /// A boolean: `"Y" = true`.
    Bool(bool, Span),
}

impl Recoded {
    pub fn span(&self) -> Span {
        match self {
            Recoded::Category(c) => c.span,
            Recoded::Bool(_, span) => *span,
        }
    }
}

/// `test "name" { period ... given ... expect ... }`: fixture rows, the periods to evaluate,
/// and what the results should be.
#[derive(Debug, Clone)]
pub struct TestDecl {
    pub name: String,
    pub name_span: Span,
    /// `period P`, or `series FROM to TO`; several are an error the checker reports.
    pub runs: Vec<TestRun>,
    /// `zone "Europe/Berlin"`: the time zone periods are read in; several are an error.
    pub zones: Vec<(String, Span)>,
    /// `as_of 2025-09-20T12:00:00`: the instant the data is seen from, as written; several
    /// are an error.
    pub as_of: Vec<(String, Span)>,
    pub givens: Vec<Given>,
    pub expectations: Vec<Expectation>,
    pub span: Span,
}

/// A reporting period as written in a test: `2025-09`, `2025-Q3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodName {
    pub text: String,
    pub span: Span,
}

/// What a test evaluates.
#[derive(Debug, Clone)]
pub enum TestRun {
    Period(PeriodName),
    Series(PeriodName, PeriodName),
}

/// `given incidents { ... }` or `given incidents from "fixtures/incidents.csv"`.
#[derive(Debug, Clone)]
pub struct Given {
    pub dataset: Ident,
    pub rows: Fixture,
    pub span: Span,
}

/// The rows a test gives a dataset.
#[derive(Debug, Clone)]
pub enum Fixture {
    /// A table written in the test: the first line names the columns.
    Table {
        header: Vec<FixtureCell>,
        rows: Vec<Vec<FixtureCell>>,
        span: Span,
    },
    /// A CSV or JSON Lines file, relative to the file the test is in.
    File { path: String, span: Span },
}

/// One cell of a fixture table: its text, `None` when empty, and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct FixtureCell {
    pub text: Option<String>,
    pub span: Span,
}

/// `expect ...`, optionally `in PERIOD`.
#[derive(Debug, Clone)]
pub struct Expectation {
    pub kind: ExpectationKind,
    pub period: Option<PeriodName>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExpectationKind {
    /// `expect sla_rate = 50% within 0.5%`, `expect status(x) = red`, `expect x is none`.
    Value { subject: Subject, check: ValueCheck },
    /// `expect incident_sla meets target` (`met`) or `misses target`.
    Target {
        indicator: Ident,
        group: Option<Vec<GroupPart>>,
        met: bool,
    },
    /// `expect diagnostic msr::data::bad_value "unknown category"`.
    Diagnostic {
        code: String,
        message: Option<String>,
        span: Span,
    },
}

/// What an expectation is about: a measure's or indicator's value, or an indicator's
/// status, for the total or for one group.
#[derive(Debug, Clone)]
pub struct Subject {
    pub name: Ident,
    pub status: bool,
    pub group: Option<Vec<GroupPart>>,
    pub span: Span,
}

/// One part of a group's key, as written: `"finance"`, `high`, `2025-09`, `none`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPart {
    /// `None` for the group of rows with no key.
    pub text: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ValueCheck {
    /// `is none`, with the reason it should be missing for.
    Missing { reason: Option<(String, Span)> },
    /// `= 50% within 0.5%`: the expected value is a literal, a negated literal or a name
    /// (a category or a status).
    Compare {
        op: CompareOp,
        expected: Expr,
        tolerance: Option<Expr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Compare(CompareOp),
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Compare(op) => op.symbol(),
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggregateFn {
    Count,
    CountDistinct,
    Sum,
    Mean,
    Median,
    Mode,
    Min,
    Max,
    Percentile,
}

/// The names aggregates are called by; `count distinct` is `count` followed by `distinct`.
pub const AGGREGATE_NAMES: &[&str] = &[
    "count",
    "sum",
    "mean",
    "median",
    "mode",
    "min",
    "max",
    "percentile",
];

impl AggregateFn {
    pub fn keyword(self) -> &'static str {
        match self {
            AggregateFn::Count => "count",
            AggregateFn::CountDistinct => "count distinct",
            AggregateFn::Sum => "sum",
            AggregateFn::Mean => "mean",
            AggregateFn::Median => "median",
            AggregateFn::Mode => "mode",
            AggregateFn::Min => "min",
            AggregateFn::Max => "max",
            AggregateFn::Percentile => "percentile",
        }
    }
}

/// `mean(resolved_at - opened_at for incidents at resolved_at where resolved_at is not none)`
#[derive(Debug, Clone)]
pub struct Aggregate {
    pub func: AggregateFn,
    /// The rank of `percentile(90, ...)`, as a fraction (0.9).
    pub rank: Option<(f64, Span)>,
    /// The per-row value (`x for dataset`); `None` counts rows.
    pub value: Option<Expr>,
    pub dataset: Ident,
    /// The date-time column that places rows in the period, when not the dataset's time.
    pub period_column: Option<Ident>,
    pub filter: Option<Expr>,
    /// `except CONDITION`: rows left out on purpose, and counted as such.
    pub except: Option<Expr>,
}

/// A relation from the row being read to the rows of another dataset whose key equals this
/// row's: `exists(findings on asset_id = id where cvss >= 7)`, or with a column,
/// `related(assets on id = asset_id).owner`.
#[derive(Debug, Clone)]
pub struct Relation {
    /// The related dataset.
    pub dataset: Ident,
    /// The related dataset's key column, written first.
    pub its_key: Ident,
    /// The key column of the row the relation is read from.
    pub this_key: Ident,
    /// A condition on the related rows, over the related dataset's columns.
    pub filter: Option<Expr>,
    /// The column of the related row that `related(...).column` reads; `None` for
    /// `exists(...)`, which only asks whether a related row is there.
    pub column: Option<Ident>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Int(i64),
    Number(f64),
    /// A fraction: `95%` is 0.95.
    Percent(f64),
    /// Microseconds.
    Duration(i64),
    /// Days since 1970-01-01.
    Date(i32),
    /// Microseconds since the Unix epoch, UTC.
    DateTime(i64),
    Text(String),
    Bool(bool),
    /// An amount and its currency code as written: `100 EUR`.
    Money(f64, String),
    None,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Literal(Literal),
    /// A measure, a column, a category or `value`, resolved by the checker.
    Name(Ident),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `x in [a, b]`, or with `negated` `x not in [a, b]`.
    InList {
        value: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    /// `x is none`, or with `negated` `x is not none`.
    IsNone {
        value: Box<Expr>,
        negated: bool,
    },
    Aggregate(Box<Aggregate>),
    /// `exists(...)` or `related(...).column`.
    Relation(Box<Relation>),
    /// A function applied to values: `score(maturity)`.
    Call {
        function: Ident,
        args: Vec<Expr>,
    },
    /// `x within 30d`: `x` falls in the window of that length that ends at the moment the
    /// run looks from. The window is in microseconds.
    Within {
        value: Box<Expr>,
        window: i64,
    },
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}
