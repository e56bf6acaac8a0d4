//! List values: shared items, or a selection of another list's items.
//!
//! A policy mostly narrows lists: a window of the incidents, a subject's
//! acts, the acts that are highly attributed, the allied ones among those.
//! Copying the kept items would touch every record once to copy it (an
//! atomic reference count on a record shared across threads) and again to
//! drop it, a cache miss each time over a large campaign. A narrowed list
//! instead keeps the positions of its items in the list it was drawn from
//! (four bytes each) and shares that list: building one reads only what its
//! condition reads, and dropping one frees one allocation (two for a long
//! one), whatever it holds.

use std::sync::Arc;

use smallvec::SmallVec;

use super::Value;

/// The positions a selection keeps. A few are held inline: a subject of a
/// small campaign narrows lists of a few items, and each selection is then
/// one allocation, not two.
pub type Positions = SmallVec<[u32; 8]>;

/// A list value. Cloning it shares it (one reference count).
///
/// Either it owns its items, or it is a selection: some of the items of an
/// owned list, by position, in ascending order (a narrowed list of a
/// narrowed list selects from the same owned list, never from the
/// selection, so reading an item is always two steps at most).
#[derive(Clone)]
pub struct List(Repr);

#[derive(Clone)]
enum Repr {
    /// The items.
    Owned(Arc<Vec<Value>>),
    /// A selection (one allocation to share: cloning a list is one atomic
    /// operation either way).
    Picked(Arc<Picked>),
}

/// Some items of an owned list.
struct Picked {
    /// The owned list.
    items: Arc<Vec<Value>>,
    /// The positions in `items`, ascending, each in range.
    at: Positions,
}

thread_local! {
    static EMPTY: Arc<Vec<Value>> = Arc::new(Vec::new());
}

impl List {
    /// A list of these items.
    pub fn new(items: Vec<Value>) -> List {
        List(Repr::Owned(Arc::new(items)))
    }

    /// The empty list (shared: no allocation).
    pub fn empty() -> List {
        List(Repr::Owned(EMPTY.with(Arc::clone)))
    }

    /// How many items it has.
    #[inline]
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Owned(items) => items.len(),
            Repr::Picked(p) => p.at.len(),
        }
    }

    /// Whether it has no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Item `i`, counting from 0.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&Value> {
        match &self.0 {
            Repr::Owned(items) => items.get(i),
            Repr::Picked(p) => p.items.get(*p.at.get(i)? as usize),
        }
    }

    /// The items, in order.
    #[inline]
    pub fn iter(&self) -> Iter<'_> {
        match &self.0 {
            Repr::Owned(items) => Iter::All(items.iter()),
            Repr::Picked(p) => Iter::Picked(&p.items, p.at.iter()),
        }
    }

    /// Whether `self` and `other` are one list (not merely equal ones).
    #[inline]
    pub fn same(&self, other: &List) -> bool {
        match (&self.0, &other.0) {
            (Repr::Owned(a), Repr::Owned(b)) => Arc::ptr_eq(a, b),
            (Repr::Picked(a), Repr::Picked(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// The items at positions `at` (ascending, counted in this list), as a
    /// list sharing this one's items. Keeping every item returns this list
    /// and keeping none the shared empty list. A position out of range is
    /// skipped (callers pass positions they counted; none is).
    pub fn pick(&self, mut at: Positions) -> List {
        let items = match &self.0 {
            Repr::Owned(items) => {
                at.retain(|i| (*i as usize) < items.len());
                items
            }
            // A selection of a selection: positions in the owned list.
            Repr::Picked(outer) => {
                at.retain_mut(|i| match outer.at.get(*i as usize) {
                    Some(&j) => {
                        *i = j;
                        true
                    }
                    None => false,
                });
                &outer.items
            }
        };
        if at.len() == self.len() {
            return self.clone();
        }
        if at.is_empty() {
            return List::empty();
        }
        List(Repr::Picked(Arc::new(Picked {
            items: Arc::clone(items),
            at,
        })))
    }

    /// The position of item `i` as a `u32` (lists are indexed by `u32` in
    /// selections); `None` past `u32::MAX` items.
    pub fn position(i: usize) -> Option<u32> {
        u32::try_from(i).ok()
    }
}

impl From<Vec<Value>> for List {
    fn from(items: Vec<Value>) -> List {
        List::new(items)
    }
}

impl std::fmt::Debug for List {
    /// As its items, however it holds them (as a `Vec` would print).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for List {
    /// Equal items in the same order, however each list holds them.
    fn eq(&self, other: &List) -> bool {
        self.same(other) || (self.len() == other.len() && self.iter().eq(other.iter()))
    }
}

impl<'a> IntoIterator for &'a List {
    type Item = &'a Value;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The items of a [`List`], in order.
#[derive(Clone, Debug)]
pub enum Iter<'a> {
    /// Every item of an owned list.
    All(std::slice::Iter<'a, Value>),
    /// The items of a selection: the owned list and the positions.
    Picked(&'a [Value], std::slice::Iter<'a, u32>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Value;

    #[inline]
    fn next(&mut self) -> Option<&'a Value> {
        match self {
            Iter::All(it) => it.next(),
            // Positions are in range by construction (`List::pick`).
            Iter::Picked(items, at) => at.next().and_then(|&i| items.get(i as usize)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::All(it) => it.size_hint(),
            Iter::Picked(_, at) => at.size_hint(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(l: &List) -> Vec<i64> {
        l.iter()
            .map(|v| match v {
                Value::Int(i) => *i,
                _ => -1,
            })
            .collect()
    }

    #[test]
    fn a_selection_of_a_selection_reads_the_owned_items() {
        let l = List::new((0..10).map(Value::Int).collect());
        let even = l.pick(smallvec::smallvec![0, 2, 4, 6, 8]);
        assert_eq!(ints(&even), [0, 2, 4, 6, 8]);
        let some = even.pick(smallvec::smallvec![1, 3]);
        assert_eq!(ints(&some), [2, 6]);
        assert_eq!(some.get(1), Some(&Value::Int(6)));
        assert_eq!(some.get(2), None);
        assert_eq!(some.len(), 2);
        assert_eq!(some.iter().len(), 2);
    }

    #[test]
    fn keeping_all_or_nothing_allocates_nothing() {
        let l = List::new((0..3).map(Value::Int).collect());
        assert!(l.pick(smallvec::smallvec![0, 1, 2]).same(&l));
        assert!(l.pick(Positions::new()).same(&List::empty()));
    }

    #[test]
    fn positions_out_of_range_are_skipped() {
        let l = List::new((0..3).map(Value::Int).collect());
        assert_eq!(ints(&l.pick(smallvec::smallvec![1, 7])), [1]);
        assert_eq!(
            ints(
                &l.pick(smallvec::smallvec![0, 2])
                    .pick(smallvec::smallvec![1, 5])
            ),
            [2]
        );
    }

    #[test]
    fn lists_are_equal_by_items_however_held() {
        let l = List::new((0..4).map(Value::Int).collect());
        let picked = l.pick(smallvec::smallvec![1, 2]);
        let owned = List::new(vec![Value::Int(1), Value::Int(2)]);
        assert_eq!(picked, owned);
        assert_ne!(picked, l);
    }
}
