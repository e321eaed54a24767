//! A tiny work-sharing map over worker threads, used to convert snapshot resources and to
//! evaluate checks on every CPU.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Applies `work` to every item on up to `threads` scoped threads and returns the outputs
/// in item order. Each worker gets its own state from `init` (e.g. a clone of an engine).
/// Items are taken one at a time, so uneven items balance across workers.
pub(crate) fn map<T, S, R, I, W>(items: &[T], threads: usize, init: I, work: W) -> Vec<Option<R>>
where
    T: Sync,
    R: Send,
    I: Fn() -> S + Sync,
    W: Fn(&mut S, &T) -> R + Sync,
{
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut state = init();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            let output = work(&mut state, item);
            if let Ok(mut slot) = slots[i].lock() {
                *slot = Some(output);
            }
        }
    };
    let threads = threads.clamp(1, items.len().max(1));
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(worker);
        }
        worker();
    });
    slots
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_item_order_with_per_worker_state() {
        let items: Vec<u64> = (0..100).collect();
        let out = super::map(&items, 4, || 10u64, |base, x| *base + x * 2);
        let out: Vec<u64> = out.into_iter().map(|o| o.unwrap()).collect();
        assert_eq!(out, (0..100).map(|x| 10 + x * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], 2, || (), |_, x| *x).is_empty());
    }
}
