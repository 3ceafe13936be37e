//! Alerts -> tickets, in the manner of ConnectSecure's integration rules: a rule picks board, type,
//! subtype, item, priority (by severity), source, status on open and on close, and the note type; grouping
//! decides whether one ticket covers an alert, a device or a company.
//!
//! Every ticket carries a dedupe key (Manage `externalXRef`), so an alert never opens two tickets: a group
//! with an open ticket gets a note for alerts it has not mentioned yet, and the ticket closes when the group's
//! alerts are resolved. Alerts are "mentioned" by a marker (`[alert datto-rmm:<uid>]`) in the ticket's
//! description or notes, so a re-run finds them without any state outside the PSA.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::links::Links;
use super::table::{Table, opt};
use crate::connector::{NewTicket, NoteVisibility, TicketNote};
use crate::model::{Alert, AlertSeverity, ExternalRef, Ticket};

/// Manage keeps 100 characters of `externalXRef` and of a ticket summary.
const MAX_KEY: usize = 100;
const MAX_SUMMARY: usize = 100;

/// How alerts share tickets (ConnectSecure's "Group By").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// One ticket per alert.
    #[default]
    PerAlert,
    /// One ticket per device and rule (an alert without a device gets its own ticket).
    PerDevice,
    /// One ticket per PSA company and rule.
    PerCompany,
}

/// How a ticket is opened in the PSA for the alerts a rule covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRule {
    /// Rule name; part of the dedupe key of grouped tickets, so renaming a rule starts new groups.
    pub name: String,
    /// Alert categories covered (the "event set"), compared case-insensitively; empty covers all.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Severities covered; empty covers all.
    #[serde(default)]
    pub severities: Vec<AlertSeverity>,
    /// How alerts share tickets.
    #[serde(default)]
    pub grouping: Grouping,
    /// Service board.
    pub board: Option<String>,
    /// Service type.
    pub service_type: Option<String>,
    /// Service subtype.
    pub subtype: Option<String>,
    /// Service item.
    pub item: Option<String>,
    /// Priority name per severity (the most severe alert of a group decides).
    #[serde(default)]
    pub priority_by_severity: BTreeMap<AlertSeverity, String>,
    /// Priority when the severity has no entry.
    pub default_priority: Option<String>,
    /// Status of a new ticket; the board default when `None`.
    pub status_on_open: Option<String>,
    /// Status that closes the ticket when its alerts are resolved.
    pub status_on_close: String,
    /// Ticket source.
    pub source: Option<String>,
    /// Where descriptions and notes go.
    #[serde(default)]
    pub note_visibility: NoteVisibility,
}

impl TicketRule {
    /// A rule covering every alert, one ticket per alert, closing with `status_on_close`.
    pub fn new(name: impl Into<String>, status_on_close: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            categories: Vec::new(),
            severities: Vec::new(),
            grouping: Grouping::PerAlert,
            board: None,
            service_type: None,
            subtype: None,
            item: None,
            priority_by_severity: BTreeMap::new(),
            default_priority: None,
            status_on_open: None,
            status_on_close: status_on_close.into(),
            source: None,
            note_visibility: NoteVisibility::Internal,
        }
    }

    fn covers(&self, alert: &Alert) -> bool {
        let category_ok = self.categories.is_empty()
            || alert.category.as_deref().is_some_and(|c| {
                self.categories
                    .iter()
                    .any(|wanted| wanted.trim().eq_ignore_ascii_case(c.trim()))
            });
        let severity_ok = self.severities.is_empty() || self.severities.contains(&alert.severity);
        category_ok && severity_ok
    }

    fn priority_for(&self, severity: &AlertSeverity) -> Option<String> {
        self.priority_by_severity
            .get(severity)
            .or(self.default_priority.as_ref())
            .cloned()
    }
}

/// The rules, tried in order (the first rule covering an alert handles it), and the dedupe key prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketPolicy {
    /// Rules in priority order.
    pub rules: Vec<TicketRule>,
    /// Prefix of every dedupe key this integration writes; tickets with other keys are never touched.
    pub key_prefix: String,
}

impl Default for TicketPolicy {
    fn default() -> Self {
        Self {
            rules: Vec::new(),
            key_prefix: "psa-rmm".to_owned(),
        }
    }
}

impl TicketPolicy {
    /// A policy with one rule.
    pub fn with_rule(rule: TicketRule) -> Self {
        Self {
            rules: vec![rule],
            ..Self::default()
        }
    }

    fn rule_for(&self, alert: &Alert) -> Option<&TicketRule> {
        self.rules.iter().find(|r| r.covers(alert))
    }

    fn owns(&self, key: &str) -> bool {
        key.strip_prefix(self.key_prefix.as_str())
            .is_some_and(|rest| rest.starts_with(':'))
    }

    /// The dedupe key of the group `alert` falls in under `rule`, for PSA company `company`.
    pub fn dedupe_key(&self, rule: &TicketRule, alert: &Alert, company: &ExternalRef) -> String {
        let p = &self.key_prefix;
        let key = match (rule.grouping, &alert.device) {
            (Grouping::PerDevice, Some(device)) => {
                format!("{p}:d:{:08x}:{device}", short_hash(&rule.name))
            }
            (Grouping::PerCompany, _) => {
                format!("{p}:c:{:08x}:{}", short_hash(&rule.name), company.id)
            }
            _ => format!("{p}:a:{}", alert.external),
        };
        if key.chars().count() <= MAX_KEY {
            key
        } else {
            format!("{p}:h:{:016x}", fnv1a(&key))
        }
    }
}

/// The text that marks an alert as mentioned in a ticket's description or notes.
pub fn alert_marker(alert: &ExternalRef) -> String {
    format!("[alert {alert}]")
}

/// An open ticket with the alerts its description and notes already mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenTicket {
    /// The ticket.
    pub ticket: Ticket,
    /// Markers found (see [`alert_marker`]).
    pub mentioned: BTreeSet<String>,
}

impl OpenTicket {
    /// Reads the alert markers out of the ticket's description and the given note texts.
    pub fn from_notes<'a>(ticket: Ticket, notes: impl IntoIterator<Item = &'a str>) -> Self {
        let mut mentioned = BTreeSet::new();
        for text in notes {
            collect_markers(text, &mut mentioned);
        }
        if let Some(d) = &ticket.description {
            collect_markers(d, &mut mentioned);
        }
        Self { ticket, mentioned }
    }
}

fn collect_markers(text: &str, into: &mut BTreeSet<String>) {
    let mut rest = text;
    while let Some(start) = rest.find("[alert ") {
        let tail = &rest[start..];
        match tail.find(']') {
            Some(end) => {
                into.insert(tail[..=end].to_owned());
                rest = &tail[end + 1..];
            }
            None => break,
        }
    }
}

/// What the ticket planner reads.
#[derive(Debug, Clone, Copy)]
pub struct TicketInputs<'a> {
    /// Alerts open in the RMM.
    pub open_alerts: &'a [Alert],
    /// Alerts resolved in the RMM.
    pub resolved_alerts: &'a [Alert],
    /// Open PSA tickets carrying dedupe keys, with the alerts they mention.
    pub open_tickets: &'a [OpenTicket],
    /// Company and device links.
    pub links: &'a Links,
}

/// Why an alert gets no ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketSkip {
    /// The alert's RMM site or company is not linked to a PSA company.
    CompanyNotMapped,
    /// No rule covers the alert's category and severity.
    NoRule,
}

impl fmt::Display for TicketSkip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CompanyNotMapped => "company not mapped",
            Self::NoRule => "no rule covers the alert",
        })
    }
}

/// One step of a ticket plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TicketAction {
    /// Open a ticket for a group that has none.
    Open {
        /// The new ticket (its dedupe key included).
        ticket: NewTicket,
        /// Alerts of the group.
        alerts: Vec<ExternalRef>,
    },
    /// Add a note for alerts the open ticket does not mention yet.
    Note {
        /// Dedupe key.
        key: String,
        /// The ticket.
        ticket: ExternalRef,
        /// The note.
        note: TicketNote,
        /// Alerts the note mentions.
        alerts: Vec<ExternalRef>,
    },
    /// Close a ticket whose alerts are all resolved.
    Close {
        /// Dedupe key.
        key: String,
        /// The ticket.
        ticket: ExternalRef,
        /// Closing status.
        status: String,
        /// The resolved alerts seen for the group.
        resolved: Vec<ExternalRef>,
    },
    /// Nothing to do: the ticket mentions every alert of its group, or none of its alerts was seen.
    Unchanged {
        /// Dedupe key.
        key: String,
        /// The ticket.
        ticket: ExternalRef,
    },
    /// More than one open ticket holds the same key (made outside this planner): the oldest is used,
    /// the others are reported for a person to merge.
    Duplicate {
        /// Dedupe key.
        key: String,
        /// The extra tickets.
        tickets: Vec<ExternalRef>,
    },
    /// An alert that gets no ticket.
    Skip {
        /// The alert.
        alert: ExternalRef,
        /// Why.
        reason: TicketSkip,
    },
}

impl TicketAction {
    /// True for actions that write to the PSA.
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Self::Open { .. } | Self::Note { .. } | Self::Close { .. }
        )
    }

    /// Short name for tables and counts.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Open { .. } => "open",
            Self::Note { .. } => "note",
            Self::Close { .. } => "close",
            Self::Unchanged { .. } => "unchanged",
            Self::Duplicate { .. } => "duplicate",
            Self::Skip { .. } => "skip",
        }
    }
}

/// The ticket actions for one run, in a stable order (by dedupe key, then skipped alerts).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TicketPlan {
    /// The actions.
    pub actions: Vec<TicketAction>,
}

impl TicketPlan {
    /// Number of actions per name.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for a in &self.actions {
            *counts.entry(a.name()).or_insert(0) += 1;
        }
        counts
    }

    /// True when applying the plan writes nothing.
    pub fn is_noop(&self) -> bool {
        !self.actions.iter().any(TicketAction::writes)
    }
}

impl fmt::Display for TicketPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = Table::new(&["action", "ticket", "key", "detail"]);
        for a in &self.actions {
            let (ticket, key, detail) = match a {
                TicketAction::Open { ticket, alerts } => (
                    None,
                    ticket.dedupe_key.clone(),
                    format!("{} ({} alert(s))", ticket.summary, alerts.len()),
                ),
                TicketAction::Note {
                    key,
                    ticket,
                    alerts,
                    ..
                } => (
                    Some(ticket.id.clone()),
                    key.clone(),
                    format!("{} new alert(s)", alerts.len()),
                ),
                TicketAction::Close {
                    key,
                    ticket,
                    status,
                    ..
                } => (Some(ticket.id.clone()), key.clone(), format!("-> {status}")),
                TicketAction::Unchanged { key, ticket } => {
                    (Some(ticket.id.clone()), key.clone(), String::new())
                }
                TicketAction::Duplicate { key, tickets } => (
                    None,
                    key.clone(),
                    format!("{} extra open ticket(s)", tickets.len()),
                ),
                TicketAction::Skip { alert, reason } => {
                    (None, alert.to_string(), reason.to_string())
                }
            };
            t.row(vec![
                a.name().to_owned(),
                opt(ticket.as_deref()),
                key,
                detail,
            ]);
        }
        write!(f, "{t}")
    }
}

struct Group<'a> {
    rule: &'a TicketRule,
    company: &'a ExternalRef,
    alerts: Vec<&'a Alert>,
}

/// Plans ticket actions: open, note, close, with one ticket per dedupe key.
pub fn plan_tickets(inputs: TicketInputs<'_>, policy: &TicketPolicy) -> TicketPlan {
    let mut skips = Vec::new();
    let open_groups = group_alerts(inputs.open_alerts, inputs.links, policy, Some(&mut skips));
    let resolved_groups = group_alerts(inputs.resolved_alerts, inputs.links, policy, None);
    let tickets = tickets_by_key(inputs.open_tickets, policy);

    let mut actions = Vec::new();
    let keys: BTreeSet<&str> = open_groups
        .keys()
        .map(String::as_str)
        .chain(tickets.keys().copied())
        .collect();
    for key in keys {
        let existing = tickets.get(key);
        if let Some(all) = existing
            && all.len() > 1
        {
            actions.push(TicketAction::Duplicate {
                key: key.to_owned(),
                tickets: all[1..].iter().map(|t| t.ticket.external.clone()).collect(),
            });
        }
        let ticket = existing.and_then(|all| all.first().copied());
        match (open_groups.get(key), ticket) {
            (Some(group), None) => actions.push(open_action(key, group, inputs.links)),
            (Some(group), Some(ticket)) => actions.push(note_action(key, group, ticket)),
            (None, Some(ticket)) => {
                actions.push(close_action(key, resolved_groups.get(key), ticket));
            }
            (None, None) => {}
        }
    }
    actions.extend(skips);
    TicketPlan { actions }
}

fn group_alerts<'a>(
    alerts: &'a [Alert],
    links: &'a Links,
    policy: &'a TicketPolicy,
    mut skips: Option<&mut Vec<TicketAction>>,
) -> BTreeMap<String, Group<'a>> {
    let mut groups: BTreeMap<String, Group<'a>> = BTreeMap::new();
    for alert in alerts {
        let skip = |reason| TicketAction::Skip {
            alert: alert.external.clone(),
            reason,
        };
        let Some(company) = links.psa_company(alert.site.as_ref(), alert.company.as_ref()) else {
            if let Some(s) = skips.as_deref_mut() {
                s.push(skip(TicketSkip::CompanyNotMapped));
            }
            continue;
        };
        let Some(rule) = policy.rule_for(alert) else {
            if let Some(s) = skips.as_deref_mut() {
                s.push(skip(TicketSkip::NoRule));
            }
            continue;
        };
        let key = policy.dedupe_key(rule, alert, company);
        groups
            .entry(key)
            .or_insert_with(|| Group {
                rule,
                company,
                alerts: Vec::new(),
            })
            .alerts
            .push(alert);
    }
    for g in groups.values_mut() {
        g.alerts
            .sort_by(|a, b| (a.raised_at, &a.external).cmp(&(b.raised_at, &b.external)));
        g.alerts.dedup_by(|a, b| a.external == b.external);
    }
    groups
}

fn tickets_by_key<'a>(
    tickets: &'a [OpenTicket],
    policy: &TicketPolicy,
) -> BTreeMap<&'a str, Vec<&'a OpenTicket>> {
    let mut by_key: BTreeMap<&str, Vec<&OpenTicket>> = BTreeMap::new();
    for t in tickets.iter().filter(|t| !t.ticket.closed) {
        if let Some(key) = t.ticket.dedupe_key.as_deref().filter(|k| policy.owns(k)) {
            by_key.entry(key).or_default().push(t);
        }
    }
    for all in by_key.values_mut() {
        all.sort_by(|a, b| {
            (a.ticket.created_at, numeric_first(&a.ticket.external.id))
                .cmp(&(b.ticket.created_at, numeric_first(&b.ticket.external.id)))
        });
    }
    by_key
}

/// Orders ids numerically when they are numbers (Manage), textually otherwise.
fn numeric_first(id: &str) -> (u64, &str) {
    (id.parse().unwrap_or(u64::MAX), id)
}

fn open_action(key: &str, group: &Group<'_>, links: &Links) -> TicketAction {
    let rule = group.rule;
    let severity = group
        .alerts
        .iter()
        .map(|a| &a.severity)
        .min()
        .cloned()
        .unwrap_or(AlertSeverity::Information);
    let first = group.alerts.first();
    let configuration = match rule.grouping {
        Grouping::PerCompany => None,
        _ => first
            .and_then(|a| a.device.as_ref())
            .and_then(|d| links.configuration(d))
            .cloned(),
    };
    let ticket = NewTicket {
        company: group.company.clone(),
        summary: summary(rule, group),
        description: group
            .alerts
            .iter()
            .map(|a| alert_line(a))
            .collect::<Vec<_>>()
            .join("\n"),
        description_visibility: rule.note_visibility,
        board: rule.board.clone(),
        status: rule.status_on_open.clone(),
        service_type: rule.service_type.clone(),
        subtype: rule.subtype.clone(),
        item: rule.item.clone(),
        priority: rule.priority_for(&severity),
        source: rule.source.clone(),
        dedupe_key: key.to_owned(),
        configuration,
    };
    TicketAction::Open {
        ticket,
        alerts: group.alerts.iter().map(|a| a.external.clone()).collect(),
    }
}

fn summary(rule: &TicketRule, group: &Group<'_>) -> String {
    let Some(first) = group.alerts.first() else {
        return rule.name.clone();
    };
    let device = first.device_name.as_deref().unwrap_or("unknown device");
    let text = match rule.grouping {
        Grouping::PerAlert => format!("[{}] {device}: {}", first.severity, first.message),
        Grouping::PerDevice => format!("{}: {device}", rule.name),
        Grouping::PerCompany => rule.name.clone(),
    };
    truncate(&text, MAX_SUMMARY)
}

fn alert_line(alert: &Alert) -> String {
    let raised = alert
        .raised_at
        .map(|t| format!(" (raised {})", t.format("%Y-%m-%d %H:%M UTC")))
        .unwrap_or_default();
    format!(
        "{} {} {} on {}: {}{raised}",
        alert_marker(&alert.external),
        alert.severity,
        alert.category.as_deref().unwrap_or("alert"),
        alert.device_name.as_deref().unwrap_or("unknown device"),
        alert.message,
    )
}

fn note_action(key: &str, group: &Group<'_>, ticket: &OpenTicket) -> TicketAction {
    let fresh: Vec<&Alert> = group
        .alerts
        .iter()
        .copied()
        .filter(|a| !ticket.mentioned.contains(&alert_marker(&a.external)))
        .filter(|a| match (a.raised_at, ticket.ticket.created_at) {
            // An alert raised before the ticket existed was in its description.
            (Some(raised), Some(created)) => raised > created,
            _ => true,
        })
        .collect();
    if fresh.is_empty() {
        return TicketAction::Unchanged {
            key: key.to_owned(),
            ticket: ticket.ticket.external.clone(),
        };
    }
    let lines: Vec<String> = fresh.iter().map(|a| alert_line(a)).collect();
    TicketAction::Note {
        key: key.to_owned(),
        ticket: ticket.ticket.external.clone(),
        note: TicketNote {
            text: format!("Alert repeated:\n{}", lines.join("\n")),
            visibility: group.rule.note_visibility,
        },
        alerts: fresh.iter().map(|a| a.external.clone()).collect(),
    }
}

fn close_action(key: &str, resolved: Option<&Group<'_>>, ticket: &OpenTicket) -> TicketAction {
    match resolved {
        Some(group) => TicketAction::Close {
            key: key.to_owned(),
            ticket: ticket.ticket.external.clone(),
            status: group.rule.status_on_close.clone(),
            resolved: group.alerts.iter().map(|a| a.external.clone()).collect(),
        },
        // Neither open nor resolved: the RMM no longer reports the alert; closing on absence would close
        // tickets whenever a feed is incomplete.
        None => TicketAction::Unchanged {
            key: key.to_owned(),
            ticket: ticket.ticket.external.clone(),
        },
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn short_hash(text: &str) -> u32 {
    let h = fnv1a(text);
    // Fold both halves so the short form keeps bits from the whole hash.
    ((h >> 32) ^ (h & 0xffff_ffff)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::System;
    use chrono::{DateTime, Utc};

    fn at(s: i64) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(1_700_000_000 + s, 0)
    }

    fn alert(id: &str, device: &str, site: &str, sev: AlertSeverity) -> Alert {
        Alert {
            external: ExternalRef::new(System::DattoRmm, id),
            company: None,
            site: Some(ExternalRef::new(System::DattoRmm, site)),
            device: Some(ExternalRef::new(System::DattoRmm, device)),
            device_name: Some(format!("PC-{device}")),
            severity: sev,
            category: Some("perf_disk_usage".into()),
            message: format!("disk almost full ({id})"),
            raised_at: at(0),
            resolved: false,
            resolved_at: None,
        }
    }

    fn links() -> Links {
        let mut l = Links::new();
        l.companies.insert(
            ExternalRef::new(System::DattoRmm, "site-1"),
            ExternalRef::new(System::CwManage, "250"),
        );
        l.devices.insert(
            ExternalRef::new(System::DattoRmm, "dev-1"),
            ExternalRef::new(System::CwManage, "9001"),
        );
        l
    }

    fn rule(grouping: Grouping) -> TicketRule {
        let mut r = TicketRule::new("Disk alerts", "Closed");
        r.grouping = grouping;
        r.board = Some("Help Desk".into());
        r.priority_by_severity
            .insert(AlertSeverity::Critical, "Priority 1 - Emergency".into());
        r.default_priority = Some("Priority 3 - Normal".into());
        r
    }

    fn ticket(id: &str, key: &str, created: i64, notes: &[&str]) -> OpenTicket {
        let t = Ticket {
            external: ExternalRef::new(System::CwManage, id),
            company: Some(ExternalRef::new(System::CwManage, "250")),
            summary: "x".into(),
            description: None,
            board: None,
            status: Some("New".into()),
            priority: None,
            closed: false,
            dedupe_key: Some(key.into()),
            device: None,
            created_at: at(created),
            updated_at: None,
        };
        OpenTicket::from_notes(t, notes.iter().copied())
    }

    fn plan(
        open: &[Alert],
        resolved: &[Alert],
        tickets: &[OpenTicket],
        policy: &TicketPolicy,
    ) -> TicketPlan {
        let links = links();
        plan_tickets(
            TicketInputs {
                open_alerts: open,
                resolved_alerts: resolved,
                open_tickets: tickets,
                links: &links,
            },
            policy,
        )
    }

    #[test]
    fn new_alert_opens_one_ticket_with_rule_fields() {
        let policy = TicketPolicy::with_rule(rule(Grouping::PerAlert));
        let a = alert("al-1", "dev-1", "site-1", AlertSeverity::Critical);
        let p = plan(&[a.clone(), a], &[], &[], &policy);
        assert_eq!(p.actions.len(), 1, "{p}");
        let TicketAction::Open { ticket, alerts } = &p.actions[0] else {
            panic!("expected open: {p}")
        };
        assert_eq!(alerts.len(), 1);
        assert_eq!(ticket.dedupe_key, "psa-rmm:a:datto-rmm:al-1");
        assert_eq!(ticket.priority.as_deref(), Some("Priority 1 - Emergency"));
        assert_eq!(ticket.board.as_deref(), Some("Help Desk"));
        assert_eq!(ticket.company.id, "250");
        assert_eq!(ticket.configuration.as_ref().unwrap().id, "9001");
        assert!(ticket.description.contains("[alert datto-rmm:al-1]"));
        assert!(ticket.summary.starts_with("[critical] PC-dev-1"));
    }

    #[test]
    fn open_ticket_with_same_key_is_not_reopened() {
        let policy = TicketPolicy::with_rule(rule(Grouping::PerAlert));
        let a = alert("al-1", "dev-1", "site-1", AlertSeverity::High);
        let t = ticket("77", "psa-rmm:a:datto-rmm:al-1", 10, &[]);
        let p = plan(&[a], &[], &[t], &policy);
        assert!(p.is_noop(), "{p}");
        assert_eq!(p.counts().get("unchanged"), Some(&1));
    }

    #[test]
    fn later_alert_in_device_group_adds_one_note_then_nothing() {
        let policy = TicketPolicy::with_rule(rule(Grouping::PerDevice));
        let first = alert("al-1", "dev-1", "site-1", AlertSeverity::High);
        let mut again = alert("al-2", "dev-1", "site-1", AlertSeverity::High);
        again.raised_at = at(100);
        let key = policy.dedupe_key(
            &policy.rules[0],
            &first,
            &ExternalRef::new(System::CwManage, "250"),
        );
        let t = ticket("77", &key, 10, &[]);
        let p = plan(&[first.clone(), again.clone()], &[], &[t], &policy);
        let TicketAction::Note { alerts, note, .. } = &p.actions[0] else {
            panic!("expected note: {p}")
        };
        assert_eq!(alerts, &vec![again.external.clone()]);
        // The re-run sees the note's marker and does nothing.
        let t = ticket("77", &key, 10, &[note.text.as_str()]);
        let p = plan(&[first, again], &[], &[t], &policy);
        assert!(p.is_noop(), "{p}");
    }

    #[test]
    fn resolved_alert_closes_its_ticket_with_rule_status() {
        let policy = TicketPolicy::with_rule(rule(Grouping::PerAlert));
        let mut a = alert("al-1", "dev-1", "site-1", AlertSeverity::High);
        a.resolved = true;
        let t = ticket("77", "psa-rmm:a:datto-rmm:al-1", 10, &[]);
        let p = plan(&[], &[a], std::slice::from_ref(&t), &policy);
        assert!(
            matches!(&p.actions[0], TicketAction::Close { status, ticket, .. } if status == "Closed" && ticket.id == "77"),
            "{p}"
        );
        // Without the resolved alert the ticket is left alone.
        let p = plan(&[], &[], &[t], &policy);
        assert!(p.is_noop(), "{p}");
    }

    #[test]
    fn grouped_ticket_stays_open_while_one_alert_is_open() {
        let policy = TicketPolicy::with_rule(rule(Grouping::PerCompany));
        let open = alert("al-1", "dev-1", "site-1", AlertSeverity::High);
        let mut done = alert("al-2", "dev-2", "site-1", AlertSeverity::High);
        done.resolved = true;
        let key = policy.dedupe_key(
            &policy.rules[0],
            &open,
            &ExternalRef::new(System::CwManage, "250"),
        );
        assert!(key.starts_with("psa-rmm:c:"));
        let t = ticket("77", &key, 10, &[]);
        let p = plan(&[open], &[done], &[t], &policy);
        assert!(p.is_noop(), "{p}");
    }

    #[test]
    fn unmapped_company_and_uncovered_alert_are_skipped_with_reasons() {
        let mut r = rule(Grouping::PerAlert);
        r.severities = vec![AlertSeverity::Critical];
        let policy = TicketPolicy::with_rule(r);
        let unmapped = alert("al-1", "dev-1", "site-9", AlertSeverity::Critical);
        let low = alert("al-2", "dev-1", "site-1", AlertSeverity::Low);
        let p = plan(&[unmapped, low], &[], &[], &policy);
        let reasons: Vec<_> = p
            .actions
            .iter()
            .filter_map(|a| match a {
                TicketAction::Skip { reason, .. } => Some(reason.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            reasons,
            vec![TicketSkip::CompanyNotMapped, TicketSkip::NoRule]
        );
        assert!(p.is_noop());
    }

    #[test]
    fn duplicate_tickets_are_reported_and_foreign_keys_ignored() {
        let policy = TicketPolicy::with_rule(rule(Grouping::PerAlert));
        let a = alert("al-1", "dev-1", "site-1", AlertSeverity::High);
        let key = "psa-rmm:a:datto-rmm:al-1";
        let tickets = [
            ticket("90", key, 20, &[]),
            ticket("9", key, 10, &[]),
            ticket("5", "other-tool:1", 0, &[]),
        ];
        let p = plan(&[a], &[], &tickets, &policy);
        assert!(
            matches!(&p.actions[0], TicketAction::Duplicate { tickets, .. } if tickets[0].id == "90")
        );
        assert!(
            matches!(&p.actions[1], TicketAction::Unchanged { ticket, .. } if ticket.id == "9")
        );
        assert_eq!(p.actions.len(), 2);
    }

    #[test]
    fn keys_fit_manage_and_plans_round_trip_json() {
        let policy = TicketPolicy {
            key_prefix: "p".repeat(80),
            ..TicketPolicy::with_rule(rule(Grouping::PerAlert))
        };
        let a = alert("al-1", "dev-1", "site-1", AlertSeverity::High);
        let key = policy.dedupe_key(
            &policy.rules[0],
            &a,
            &ExternalRef::new(System::CwManage, "1"),
        );
        assert!(key.chars().count() <= MAX_KEY);
        assert!(policy.owns(&key));
        let p = plan(
            &[a],
            &[],
            &[],
            &TicketPolicy::with_rule(rule(Grouping::PerAlert)),
        );
        let json = serde_json::to_string(&p).unwrap();
        let back: TicketPlan = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        let policy_json = serde_json::to_string(&policy).unwrap();
        assert_eq!(
            serde_json::from_str::<TicketPolicy>(&policy_json).unwrap(),
            policy
        );
    }
}
