//! Expressions: where they may break, and how.
//!
//! The grammar gives an expression as a flat run of operands and operators; it is folded
//! here with the lowering's own precedence table, so that a break goes at the loosest
//! operator first. A chain of `or`, of `and`, or of `+` and `-` breaks before each of its
//! operators, one operand per line, one level deeper than the chain's first line. An
//! aggregate or a relation breaks before its `where` and `except` (and, if its value is long,
//! before `for`); a call or a list puts one element per line. Comparisons, `*` and `/` do not
//! break at the operator: their operands do.
//!
//! The tree is walked left to right, so the tokens still reach the comment cursor in source
//! order.

use pest::iterators::Pair;

use super::doc::Doc;
use super::{children, Formatter, INDENT};
use crate::syntax::{precedence, Rule};

/// An expression folded by precedence, its tokens still those of the parse tree.
enum Node<'a> {
    Operand(Pair<'a, Rule>),
    Prefix(Pair<'a, Rule>, Box<Node<'a>>),
    Postfix(Box<Node<'a>>, Pair<'a, Rule>),
    Infix(Box<Node<'a>>, Pair<'a, Rule>, Box<Node<'a>>),
}

/// Operators that bind alike and chain: a chain of one class is laid out as one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Or,
    And,
    Comparison,
    Additive,
    Multiplicative,
}

impl Class {
    fn of(op: &Pair<Rule>) -> Class {
        match op.as_rule() {
            Rule::op_or => Class::Or,
            Rule::op_and => Class::And,
            Rule::op_add | Rule::op_sub => Class::Additive,
            Rule::op_mul | Rule::op_div => Class::Multiplicative,
            _ => Class::Comparison,
        }
    }

    /// Whether a long chain breaks before its operators.
    fn breaks(self) -> bool {
        matches!(self, Class::Or | Class::And | Class::Additive)
    }
}

fn fold(expr: Pair<Rule>) -> Node {
    precedence()
        .map_primary(Node::Operand)
        .map_prefix(|op, operand| Node::Prefix(op, Box::new(operand)))
        .map_postfix(|operand, op| Node::Postfix(Box::new(operand), op))
        .map_infix(|left, op, right| Node::Infix(Box::new(left), op, Box::new(right)))
        .parse(expr.into_inner())
}

impl<'a> Formatter<'a> {
    /// An `expr` pair.
    pub(super) fn expr(&mut self, expr: Pair<'a, Rule>) -> Doc {
        let node = fold(expr);
        self.node(node)
    }

    fn node(&mut self, node: Node<'a>) -> Doc {
        let comments = self.cursor.before_next();
        let doc = self.node_itself(node);
        Doc::concat(vec![comments, doc])
    }

    fn node_itself(&mut self, node: Node<'a>) -> Doc {
        match node {
            Node::Operand(pair) => self.operand(pair),
            Node::Prefix(op, operand) => {
                let op_doc = self.words(&op);
                let space = if op.as_rule() == Rule::op_not {
                    " "
                } else {
                    ""
                };
                let operand = self.node(*operand);
                Doc::concat(vec![op_doc, space.into(), operand])
            }
            Node::Postfix(operand, op) => {
                let operand = self.node(*operand);
                let op = self.postfix(op);
                Doc::concat(vec![operand, " ".into(), op])
            }
            Node::Infix(left, op, right) => self.chain(*left, op, *right),
        }
    }

    /// A run of operators of one class, `a and b and c`, as one unit: `left op right` and
    /// the operators of the same class down its left operands.
    fn chain(&mut self, left: Node<'a>, op: Pair<'a, Rule>, right: Node<'a>) -> Doc {
        // Operators are left-associative, so the chain runs down the left operands.
        let class = Class::of(&op);
        let mut rest = vec![(op, right)];
        let mut first = left;
        while let Node::Infix(left, op, right) = first {
            if Class::of(&op) != class {
                first = Node::Infix(left, op, right);
                break;
            }
            rest.push((op, *right));
            first = *left;
        }
        rest.reverse();

        // A first operand that is itself a chain that breaks (of operators that bind tighter)
        // sits one level deeper, so that its breaks do not line up with this chain's.
        let nested = matches!(&first, Node::Infix(_, op, _) if Class::of(op).breaks());
        let mut head = self.node(first);
        if nested && class.breaks() {
            head = head.nest(INDENT);
        }

        let mut tail = Vec::new();
        for (op, operand) in rest {
            tail.push(if class.breaks() {
                self.line()
            } else {
                " ".into()
            });
            tail.push(self.words(&op));
            tail.push(" ".into());
            tail.push(self.node(operand));
        }
        if class.breaks() {
            Doc::concat(vec![head, Doc::concat(tail).nest(INDENT)]).group()
        } else {
            Doc::concat(vec![head, Doc::concat(tail)])
        }
    }

    /// `is none`, `is not none`, `in [...]`, `not in [...]`, `within 30d`.
    fn postfix(&mut self, op: Pair<'a, Rule>) -> Doc {
        let mut docs = Vec::new();
        for part in children(&op) {
            if !docs.is_empty() {
                docs.push(" ".into());
            }
            if part.as_rule() == Rule::expr_list {
                docs.push(self.list("[", part, "]"));
            } else {
                docs.push(self.token(&part));
            }
        }
        Doc::concat(docs)
    }

    fn operand(&mut self, pair: Pair<'a, Rule>) -> Doc {
        match pair.as_rule() {
            Rule::expr => {
                let open = self.punct("(");
                let inner = self.expr(pair);
                let close = self.punct(")");
                Doc::concat(vec![open, inner, close])
            }
            Rule::call => self.call(pair),
            Rule::aggregate => self.aggregate(pair),
            Rule::relation => self.relation(pair),
            _ => self.token(&pair),
        }
    }

    /// `f(a, b)`: on one line, or one argument per line.
    fn call(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut parts = children(&pair).into_iter();
        let Some(function) = parts.next() else {
            return Doc::nil();
        };
        let function = self.token(&function);
        let args = match parts.next() {
            Some(list) => self.list("(", list, ")"),
            None => {
                let open = self.punct("(");
                let close = self.punct(")");
                Doc::concat(vec![open, close])
            }
        };
        Doc::concat(vec![function, args])
    }

    /// An `expr_list` between brackets: flat, or one element per line with a comma after
    /// each, the last one too.
    fn list(&mut self, open: &str, list: Pair<'a, Rule>, close: &str) -> Doc {
        let open = self.punct(open);
        let mut inner = vec![self.softline()];
        let elements = children(&list);
        let count = elements.len();
        for (i, element) in elements.into_iter().enumerate() {
            inner.push(self.expr(element));
            if i + 1 < count {
                inner.push(self.punct(","));
                inner.push(self.line());
            }
        }
        // The layout owns the trailing comma: written when broken, left out when flat.
        self.cursor.skip(",");
        inner.push(Doc::IfBroken(","));
        let end = self.softline();
        let close = self.punct(close);
        Doc::concat(vec![open, Doc::concat(inner).nest(INDENT), end, close]).group()
    }

    /// `mean(VALUE for DATASET at COLUMN where CONDITION except CONDITION)`.
    fn aggregate(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut parts = children(&pair).into_iter().peekable();
        let mut docs = Vec::new();
        if let Some(function) = parts.next() {
            docs.push(self.words(&function));
        }
        docs.push(self.punct("("));
        if let Some(rank) = parts.next_if(|p| p.as_rule() == Rule::percentile_rank) {
            for token in children(&rank) {
                docs.push(self.token(&token));
            }
            docs.push(self.punct(","));
            docs.push(" ".into());
        }
        let row = parts.next_if(|p| p.as_rule() == Rule::row_value);
        if let Some(dataset) = parts.next() {
            docs.push(self.rows(row, dataset));
        }
        for part in parts {
            match part.as_rule() {
                Rule::period_column => {
                    docs.push(" ".into());
                    docs.push(self.words(&part));
                }
                _ => docs.push(self.clause(part)),
            }
        }
        docs.push(self.punct(")"));
        Doc::concat(docs).group()
    }

    /// `DATASET`, or `VALUE for DATASET`, which stays on the first line while it fits there.
    fn rows(&mut self, row: Option<Pair<'a, Rule>>, dataset: Pair<'a, Rule>) -> Doc {
        let Some(row) = row else {
            return self.token(&dataset);
        };
        let mut parts = children(&row).into_iter();
        let value = parts.next().map_or_else(Doc::nil, |v| self.expr(v));
        let line = self.line();
        let for_keyword = parts.next().map_or_else(Doc::nil, |k| self.token(&k));
        let dataset = self.token(&dataset);
        let tail = Doc::concat(vec![line, for_keyword, " ".into(), dataset]);
        Doc::concat(vec![value, tail.nest(INDENT)]).group()
    }

    /// `where CONDITION` or `except CONDITION`, on a line of its own when its group breaks.
    fn clause(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut parts = children(&pair).into_iter();
        let line = self.line();
        let keyword = parts
            .next()
            .map(|k| self.token(&k))
            .unwrap_or_else(Doc::nil);
        let condition = parts.next().map(|c| self.expr(c)).unwrap_or_else(Doc::nil);
        Doc::concat(vec![line, keyword, " ".into(), condition]).nest(INDENT)
    }

    /// `exists(DATASET on ITS = THIS where CONDITION)` or `related(...).COLUMN`.
    fn relation(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut docs = Vec::new();
        // `relation` holds one of `exists_relation` and `related_relation`.
        for part in children(&pair).iter().flat_map(children) {
            match part.as_rule() {
                Rule::relation_link => {
                    docs.push(self.punct("("));
                    docs.push(self.relation_link(part));
                    docs.push(self.punct(")"));
                }
                Rule::related_column => {
                    docs.push(self.punct("."));
                    for name in children(&part) {
                        docs.push(self.token(&name));
                    }
                }
                _ => docs.push(self.token(&part)),
            }
        }
        Doc::concat(docs).group()
    }

    /// `DATASET on ITS = THIS where CONDITION`: the parts are the dataset, `on`, the two
    /// key columns and the condition.
    fn relation_link(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut docs = Vec::new();
        for (i, part) in children(&pair).into_iter().enumerate() {
            if part.as_rule() == Rule::filter {
                docs.push(self.clause(part));
                continue;
            }
            if i == 3 {
                docs.push(" ".into());
                docs.push(self.punct("="));
            }
            if i > 0 {
                docs.push(" ".into());
            }
            docs.push(self.token(&part));
        }
        Doc::concat(docs)
    }
}
