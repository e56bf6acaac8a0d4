//! Typed ids: which ladder, rung, record, field, fact, definition or slot an
//! index means.
//!
//! The checker resolves every name to one of these, and only code inside
//! the crate can make one (`new` is `pub(crate)`), so an id always comes from
//! the checker's resolution of the program it indexes. A lookup that still
//! fails is a bug in rung: accessors return [`Internal`](crate::internal::Internal),
//! never a default value that could flow into a decision.

use std::fmt;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);

        impl $name {
            /// The id of the `index`-th item (checker only). An index past
            /// `u32::MAX` saturates, so it fails its lookup instead of
            /// aliasing another item.
            #[allow(dead_code, reason = "every id gets both constructors; not every id uses both")]
            pub(crate) fn new(index: usize) -> Self {
                $name(u32::try_from(index).unwrap_or(u32::MAX))
            }

            /// The id of a position known at compile time.
            #[allow(dead_code, reason = "every id gets both constructors; not every id uses both")]
            pub(crate) const fn of(index: u32) -> Self {
                $name(index)
            }

            /// The position it indexes.
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

id!(
    /// A ladder, in declaration order (which is also the order of decisions).
    LadderId
);
id!(
    /// A rung of a ladder, lowest first: comparing two compares their height.
    RungId
);
id!(
    /// A record type of the schema.
    RecordId
);
id!(
    /// An enum type of the schema.
    EnumId
);
id!(
    /// A field of a record, in declaration order (the position of its value).
    FieldId
);
id!(
    /// A top-level fact (a field of the `facts` declaration).
    FactId
);
id!(
    /// A global definition, an index into the program's definitions.
    LetId
);
id!(
    /// A per-subject definition of one rules block.
    BlockLetId
);
id!(
    /// A local slot of a rules block: the subject, its items, or the item of
    /// a `where` or quantifier.
    SlotId
);
id!(
    /// A rules block, in declaration order.
    BlockId
);

impl RungId {
    /// The rungs from `lo` to `hi`, inclusive, lowest first.
    pub fn range(lo: RungId, hi: RungId) -> impl Iterator<Item = RungId> {
        (lo.0..=hi.0).map(RungId)
    }
}

/// A rule: its block and its position in the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId {
    /// The block declaring it.
    pub block: BlockId,
    /// Its position among the block's rules.
    index: u32,
}

impl RuleId {
    /// The `index`-th rule of `block` (checker and evaluator only).
    pub(crate) fn new(block: BlockId, index: usize) -> Self {
        RuleId {
            block,
            index: u32::try_from(index).unwrap_or(u32::MAX),
        }
    }

    /// Its position among the block's rules.
    pub fn index(self) -> usize {
        self.index as usize
    }
}
