//! The event recorders: how an event a component reports becomes an Event object, a higher
//! count on one, or nothing. Two recorders, as in v1.34:
//!
//! **core/v1 (`client-go/tools/record`)**, used by kube-controller-manager's controllers, the
//! kubelet and the external provisioner. Every event goes through `EventCorrelate`
//! (`events_cache.go`), in this order:
//! 1. the aggregator (`EventAggregatorByReasonFunc`): the events of one source, object, type and
//!    reason form a group. When the group has seen 10 distinct messages, none more than 10
//!    minutes after the group's previous event, the event is recorded instead as
//!    `(combined from similar events): MESSAGE`, on one Event per group; the group then forgets
//!    one message (upstream an arbitrary one, Go map order; here the least recently seen);
//! 2. the logger (`eventLogger.eventObserve`): a repeat of the same event (the same key, the
//!    message included) raises the Event's count and lastTimestamp; an Event that expired is
//!    created again with the count and firstTimestamp the logger remembers;
//! 3. the spam filter (`EventSourceObjectSpamFilter`): a token bucket per source, object and
//!    type (not reason), 25 tokens, one more every 5 minutes. An event without a token is
//!    dropped, after the aggregator and the logger have counted it (so a later repeat shows a
//!    count that jumped).
//!
//! The caches are LRUs of 4096 entries (`maxLruCacheEntries`); here each keeps at least its
//! 4096 most recently used entries.
//!
//! **events.k8s.io (`client-go/tools/events`)**, used by the scheduler. Repeats with the same
//! type, action, reason, reporting controller and object, whatever the note, form a series
//! (`getKey`, `event_broadcaster.go`): the first is created; the second writes `series.count: 2`;
//! later ones count only in the recorder's memory. Every 30 minutes the recorder writes each
//! series (`refreshExistingEventSeries`), and every 6 minutes it writes a last time, and
//! forgets, the series not seen for 6 minutes, and forgets single events older than that
//! (`finishSeries`): the next occurrence is then a new Event. The note stays the first one's.
//! Both tickers count from the scheduler's start, the cluster's time 0.
//!
//! An Event expires an hour after its last write (the API server's `--event-ttl` default).

use std::collections::BTreeMap;

use crate::api::meta;
use crate::api::resources::Kind;
use crate::clock::Millis;
use crate::rng::Fingerprint;
use crate::value::Value;

/// The event source of the kubelets (`pkg/kubelet`), which other rooms report for too (the node
/// expander's `FileSystemResizeSuccessful`).
pub const KUBELET: &str = "kubelet";
/// The event source of kube-scheduler's default profile, whose events go through the
/// events.k8s.io recorder.
pub const SCHEDULER: &str = "default-scheduler";

/// One Event object as `kubectl get events` reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub namespace: String,
    pub involved_kind: Kind,
    pub involved_name: String,
    pub involved_uid: String,
    /// `Normal` or `Warning`.
    pub kind: &'static str,
    pub reason: String,
    pub message: String,
    /// The component that reported it, as `describe` prints in its From column.
    pub source: String,
    /// firstTimestamp (an events.k8s.io event's eventTime).
    pub first: Millis,
    /// lastTimestamp (a series' lastObservedTime as last written).
    pub last: Millis,
    /// count (a series' count as last written; 1 for a single event).
    pub count: u32,
    /// The order Events were created in.
    pub seq: u64,
    /// When the Event was last written: it expires [`EVENT_TTL`] later.
    written: Millis,
}

/// `--event-ttl` of the API server (1 hour).
pub const EVENT_TTL: Millis = 3_600_000;
/// The most Events kept: past this the oldest go first (a bound for long sessions).
pub const MAX_EVENTS: usize = 5000;
/// `maxLruCacheEntries` of the core/v1 correlator's caches.
const LRU_ENTRIES: usize = 4096;
/// `defaultAggregateMaxEvents`, `defaultAggregateIntervalInSeconds`.
const AGGREGATE_MAX: usize = 10;
const AGGREGATE_INTERVAL: Millis = 600_000;
/// The spam filter's bucket: `defaultSpamBurst` tokens, one more every 1/`defaultSpamQPS` s.
const SPAM_BURST: u64 = 25;
const SPAM_REFILL: Millis = 300_000;
/// `finishTime` and `refreshTime` of the events.k8s.io broadcaster.
const SERIES_FINISH: Millis = 6 * 60_000;
const SERIES_REFRESH: Millis = 30 * 60_000;
/// The prefix of an aggregated event's message (`EventAggregatorByReasonMessageFunc`).
pub const COMBINED: &str = "(combined from similar events): ";

/// What the recorder of one component reports: an event about an object.
pub struct Report<'a> {
    pub involved: &'a Value,
    pub involved_kind: Kind,
    pub kind: &'static str,
    pub reason: &'a str,
    pub message: String,
    pub source: &'a str,
}

/// A map that keeps at least its `LRU_ENTRIES` most recently used entries.
#[derive(Debug, Clone)]
struct Lru<V> {
    entries: BTreeMap<u64, (u64, V)>,
    clock: u64,
}

impl<V> Default for Lru<V> {
    fn default() -> Self {
        Lru {
            entries: BTreeMap::new(),
            clock: 0,
        }
    }
}

impl<V> Lru<V> {
    fn get_mut(&mut self, key: u64) -> Option<&mut V> {
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(&key).map(|(used, v)| {
            *used = clock;
            v
        })
    }

    fn insert(&mut self, key: u64, value: V) -> &mut V {
        self.clock += 1;
        let clock = self.clock;
        // Past the bound by an eighth, forget the least recently used eighth in one go.
        if self.entries.len() > LRU_ENTRIES + LRU_ENTRIES / 8 {
            let mut used: Vec<u64> = self.entries.values().map(|(u, _)| *u).collect();
            crate::sort::natural(&mut used);
            let cut = used[used.len() - LRU_ENTRIES];
            self.entries.retain(|_, (u, _)| *u >= cut);
        }
        let slot = self.entries.entry(key).or_insert((clock, value));
        slot.0 = clock;
        &mut slot.1
    }
}

/// What the logger remembers of an event key: the Event it wrote, its count and first time.
#[derive(Debug, Clone)]
struct Logged {
    seq: u64,
    count: u32,
    first: Millis,
}

/// An aggregation group: the distinct messages seen (with when each was last seen) and when
/// the group last saw an event.
#[derive(Debug, Clone, Default)]
struct Group {
    messages: Vec<(String, Millis)>,
    last: Option<Millis>,
}

/// A spam-filter bucket: tokens in units of 1/`SPAM_REFILL` token, as of `at`.
#[derive(Debug, Clone)]
struct Bucket {
    units: u64,
    at: Millis,
}

/// An events.k8s.io series in the recorder's memory.
#[derive(Debug, Clone)]
struct Series {
    seq: u64,
    /// Occurrences counted (1: a single event so far).
    count: u32,
    first: Millis,
    last: Millis,
}

/// Every Event, and the recorders' state.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    events: BTreeMap<u64, Event>,
    next_seq: u64,
    logged: Lru<Logged>,
    groups: Lru<Group>,
    buckets: Lru<Bucket>,
    series: BTreeMap<u64, Series>,
    /// The time up to which the series tickers ran.
    ticked: Millis,
    /// Records since the last sweep of expired Events.
    since_sweep: u32,
}

fn key(parts: &[&str]) -> u64 {
    let mut h = Fingerprint::default();
    for p in parts {
        h.add(p);
    }
    h.finish()
}

/// The `action` the scheduler's events.k8s.io recorder gives an event of this reason.
fn scheduler_action(reason: &str) -> &'static str {
    match reason {
        "Scheduled" => "Binding",
        "Preempted" => "Preempting",
        _ => "Scheduling",
    }
}

impl Recorder {
    /// The Events that exist at `now`, in the order they were created.
    pub fn events(&self, now: Millis) -> impl Iterator<Item = &Event> {
        self.events.values().filter(move |e| e.written + EVENT_TTL >= now)
    }

    /// Record what a component reports at `now`.
    pub fn record(&mut self, r: Report, now: Millis) {
        self.tick(now);
        self.since_sweep += 1;
        if self.since_sweep >= 256 {
            self.sweep(now);
        } else if self.events.len() > MAX_EVENTS {
            self.events.pop_first();
        }
        if r.source == SCHEDULER {
            self.record_series(r, now);
        } else {
            self.record_core(r, now);
        }
    }

    /// `EventCorrelate`: aggregate, log, filter.
    fn record_core(&mut self, r: Report, now: Millis) {
        let uid = meta::uid(r.involved);
        // 1. The aggregator.
        let group_key = key(&["aggregate", r.source, uid, r.kind, r.reason]);
        let group = match self.groups.get_mut(group_key) {
            Some(g) => g,
            None => self.groups.insert(group_key, Group::default()),
        };
        if group.last.is_some_and(|last| now - last > AGGREGATE_INTERVAL) {
            group.messages.clear();
        }
        group.last = Some(now);
        match group.messages.iter_mut().find(|(m, _)| *m == r.message) {
            Some(seen) => seen.1 = now,
            None => group.messages.push((r.message.clone(), now)),
        }
        let (log_key, message) = if group.messages.len() >= AGGREGATE_MAX {
            // Forget one message: the least recently seen (the first such, in arrival order).
            if let Some(oldest) = (0..group.messages.len()).min_by_key(|&i| group.messages[i].1) {
                group.messages.remove(oldest);
            }
            (group_key, format!("{COMBINED}{}", r.message))
        } else {
            (
                key(&["event", r.source, uid, r.kind, r.reason, &r.message]),
                r.message.clone(),
            )
        };
        // 2. The logger.
        let (count, first) = match self.logged.get_mut(log_key) {
            Some(l) => (l.count + 1, l.first),
            None => (1, now),
        };
        // 3. The spam filter: the caches above have counted the event already.
        let bucket_key = key(&["spam", r.source, uid, r.kind]);
        let bucket = match self.buckets.get_mut(bucket_key) {
            Some(b) => b,
            None => self.buckets.insert(
                bucket_key,
                Bucket {
                    units: SPAM_BURST * SPAM_REFILL,
                    at: now,
                },
            ),
        };
        let units = (bucket.units + (now - bucket.at)).min(SPAM_BURST * SPAM_REFILL);
        let allowed = units >= SPAM_REFILL;
        if allowed {
            bucket.units = units - SPAM_REFILL;
            bucket.at = now;
        }
        let previous = self.logged.get_mut(log_key).map(|l| l.seq).filter(|_| count > 1);
        let live = previous.filter(|seq| self.events.get(seq).is_some_and(|e| e.written + EVENT_TTL >= now));
        let seq = match (allowed, live, previous) {
            // A PATCH of the Event: count, lastTimestamp and message (a combined event's changes).
            (true, Some(seq), _) => {
                if let Some(e) = self.events.get_mut(&seq) {
                    e.count = count;
                    e.last = now;
                    e.message = message;
                    e.written = now;
                }
                seq
            }
            // The first occurrence, or its Event expired: a CREATE with the logger's count.
            (true, None, _) => {
                if let Some(old) = previous {
                    self.events.remove(&old);
                }
                self.create(&r, message, first, now, count)
            }
            // Dropped: only the logger's count moved.
            (false, _, Some(seq)) => seq,
            // Dropped before any Event was written: the next one is created with the count.
            (false, _, None) => 0,
        };
        match self.logged.get_mut(log_key) {
            Some(l) => {
                l.count = count;
                l.seq = seq;
            }
            None => {
                self.logged.insert(log_key, Logged { seq, count, first });
            }
        }
    }

    /// The events.k8s.io recorder (`recordToSink`).
    fn record_series(&mut self, r: Report, now: Millis) {
        let uid = meta::uid(r.involved);
        let series_key = key(&["series", r.kind, scheduler_action(r.reason), r.reason, r.source, uid]);
        match self.series.get_mut(&series_key) {
            Some(s) => {
                s.count += 1;
                s.last = now;
                if s.count == 2 {
                    let series = s.clone();
                    let seq = self.write_series(&series, now);
                    if let Some(s) = self.series.get_mut(&series_key) {
                        s.seq = seq;
                    }
                }
            }
            None => {
                let seq = self.create(&r, r.message.clone(), now, now, 1);
                self.series.insert(
                    series_key,
                    Series {
                        seq,
                        count: 1,
                        first: now,
                        last: now,
                    },
                );
            }
        }
    }

    /// Write a series' count and lastObservedTime on its Event (a PATCH; a CREATE if the Event
    /// expired). Returns the Event written.
    fn write_series(&mut self, s: &Series, now: Millis) -> u64 {
        match self.events.get_mut(&s.seq) {
            Some(e) if e.written + EVENT_TTL >= now => {
                e.count = s.count;
                e.last = s.last;
                e.written = now;
                s.seq
            }
            _ => {
                let Some(mut e) = self.events.remove(&s.seq) else {
                    return s.seq;
                };
                self.next_seq += 1;
                (e.seq, e.count, e.last, e.written) = (self.next_seq, s.count, s.last, now);
                self.events.insert(e.seq, e);
                self.next_seq
            }
        }
    }

    /// Whether a ticker falls in (`ticked`, `now`] with a series to work on.
    pub fn needs_tick(&self, now: Millis) -> bool {
        !self.series.is_empty() && now / SERIES_FINISH > self.ticked / SERIES_FINISH
    }

    /// Run the events.k8s.io tickers that fall in (`ticked`, `now`], in order.
    pub fn tick(&mut self, now: Millis) {
        if self.series.is_empty() {
            self.ticked = now;
            return;
        }
        let mut t = (self.ticked / SERIES_FINISH + 1) * SERIES_FINISH;
        while t <= now {
            // finishSeries: a series not seen for 6 minutes is written a last time and
            // forgotten; a single event older than that is forgotten.
            let done: Vec<(u64, Series)> = self
                .series
                .iter()
                .filter(|(_, s)| {
                    if s.count > 1 {
                        s.last + SERIES_FINISH < t
                    } else {
                        s.first + SERIES_FINISH < t
                    }
                })
                .map(|(k, s)| (*k, s.clone()))
                .collect();
            for (k, s) in done {
                if s.count > 1 {
                    self.write_series(&s, t);
                }
                self.series.remove(&k);
            }
            // refreshExistingEventSeries: every series is written.
            if t.is_multiple_of(SERIES_REFRESH) {
                let all: Vec<(u64, Series)> = self
                    .series
                    .iter()
                    .filter(|(_, s)| s.count > 1)
                    .map(|(k, s)| (*k, s.clone()))
                    .collect();
                for (k, s) in all {
                    let seq = self.write_series(&s, t);
                    if let Some(s) = self.series.get_mut(&k) {
                        s.seq = seq;
                    }
                }
            }
            t += SERIES_FINISH;
        }
        self.ticked = now;
    }

    fn create(&mut self, r: &Report, message: String, first: Millis, now: Millis, count: u32) -> u64 {
        self.next_seq += 1;
        let seq = self.next_seq;
        self.events.insert(
            seq,
            Event {
                namespace: meta::namespace(r.involved).to_string(),
                involved_kind: r.involved_kind,
                involved_name: meta::name(r.involved).to_string(),
                involved_uid: meta::uid(r.involved).to_string(),
                kind: r.kind,
                reason: r.reason.to_string(),
                message,
                source: r.source.to_string(),
                first,
                last: now,
                count,
                seq,
                written: now,
            },
        );
        seq
    }

    /// Remove the Events that expired, and the oldest past [`MAX_EVENTS`].
    fn sweep(&mut self, now: Millis) {
        self.since_sweep = 0;
        self.events.retain(|_, e| e.written + EVENT_TTL >= now);
        while self.events.len() > MAX_EVENTS {
            self.events.pop_first();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(name: &str) -> Value {
        let mut p = Value::map();
        p.set("metadata.name", name);
        p.set("metadata.namespace", "default");
        p.set("metadata.uid", format!("uid-{name}"));
        p
    }

    fn report<'a>(obj: &'a Value, reason: &'a str, message: &str, source: &'a str) -> Report<'a> {
        Report {
            involved: obj,
            involved_kind: Kind::StatefulSet,
            kind: "Normal",
            reason,
            message: message.to_string(),
            source,
        }
    }

    fn messages(r: &Recorder, now: Millis) -> Vec<(String, u32)> {
        r.events(now).map(|e| (e.message.clone(), e.count)).collect()
    }

    #[test]
    fn repeats_fold_into_a_count() {
        let mut r = Recorder::default();
        let web = object("web");
        r.record(
            report(&web, "SuccessfulCreate", "create Pod web-0", "statefulset-controller"),
            1,
        );
        r.record(
            report(&web, "SuccessfulCreate", "create Pod web-0", "statefulset-controller"),
            2,
        );
        assert_eq!(messages(&r, 2), [("create Pod web-0".to_string(), 2)]);
    }

    #[test]
    fn the_tenth_distinct_message_of_a_group_is_combined() {
        let mut r = Recorder::default();
        let web = object("web");
        for i in 0..10 {
            r.record(
                report(
                    &web,
                    "SuccessfulCreate",
                    &format!("create Pod web-{i}"),
                    "statefulset-controller",
                ),
                i,
            );
        }
        let all = messages(&r, 10);
        assert_eq!(all.len(), 10);
        assert_eq!(all[9], (format!("{COMBINED}create Pod web-9"), 1));
        // Another reason is another group.
        r.record(
            report(&web, "SuccessfulDelete", "delete Pod web-9", "statefulset-controller"),
            11,
        );
        assert_eq!(messages(&r, 11)[10], ("delete Pod web-9".to_string(), 1));
        // A new message patches the combined Event.
        r.record(
            report(&web, "SuccessfulCreate", "create Pod web-10", "statefulset-controller"),
            12,
        );
        let all = messages(&r, 12);
        assert_eq!(all.len(), 11);
        assert_eq!(all[9], (format!("{COMBINED}create Pod web-10"), 2));
    }

    #[test]
    fn a_quiet_group_starts_over() {
        let mut r = Recorder::default();
        let web = object("web");
        for i in 0..9 {
            r.record(
                report(&web, "SuccessfulCreate", &format!("m{i}"), "statefulset-controller"),
                i,
            );
        }
        r.record(
            report(&web, "SuccessfulCreate", "m9", "statefulset-controller"),
            8 + AGGREGATE_INTERVAL + 1,
        );
        assert!(messages(&r, 8 + AGGREGATE_INTERVAL + 1)
            .iter()
            .all(|(m, _)| !m.starts_with(COMBINED)));
    }

    #[test]
    fn the_spam_filter_drops_past_25_and_refills_every_five_minutes() {
        let mut r = Recorder::default();
        let pod = object("p");
        for i in 0..30 {
            r.record(report(&pod, "Pulled", &format!("m{}", i % 5), "kubelet"), 0);
        }
        // 25 tokens: 5 distinct messages, 25 writes in all (counts 5 each).
        let all = messages(&r, 0);
        assert_eq!(all.iter().map(|(_, c)| c).sum::<u32>(), 25);
        // A dropped repeat still counted: the next write jumps.
        r.record(report(&pod, "Pulled", "m0", "kubelet"), SPAM_REFILL);
        assert_eq!(messages(&r, SPAM_REFILL)[0], ("m0".to_string(), 7));
    }

    #[test]
    fn scheduler_events_form_a_series_that_keeps_the_first_note() {
        let mut r = Recorder::default();
        let pod = object("web-0");
        let failed = |m: &str| Report {
            involved: &pod,
            involved_kind: Kind::Pod,
            kind: "Warning",
            reason: "FailedScheduling",
            message: m.to_string(),
            source: "default-scheduler",
        };
        r.record(failed("first"), 1_000);
        r.record(failed("second"), 2_000);
        r.record(failed("third"), 3_000);
        // Written: count 2, the first note; the third counted only in memory.
        assert_eq!(messages(&r, 3_000), [("first".to_string(), 2)]);
        // The 6-minute ticker writes the series once it has been quiet for 6 minutes.
        r.tick(2 * SERIES_FINISH);
        assert_eq!(messages(&r, 2 * SERIES_FINISH), [("first".to_string(), 3)]);
        // Forgotten: the next occurrence is a new Event.
        r.record(failed("fourth"), 2 * SERIES_FINISH + 1);
        assert_eq!(messages(&r, 2 * SERIES_FINISH + 1).len(), 2);
    }

    #[test]
    fn events_expire_an_hour_after_their_last_write() {
        let mut r = Recorder::default();
        let web = object("web");
        r.record(report(&web, "SuccessfulCreate", "a", "statefulset-controller"), 0);
        assert_eq!(r.events(EVENT_TTL).count(), 1);
        assert_eq!(r.events(EVENT_TTL + 1).count(), 0);
        // The logger still knows the count: the Event is created again with it.
        r.record(
            report(&web, "SuccessfulCreate", "a", "statefulset-controller"),
            EVENT_TTL + 1,
        );
        assert_eq!(messages(&r, EVENT_TTL + 1), [("a".to_string(), 2)]);
    }
}
