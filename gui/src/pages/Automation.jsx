import { useEffect, useState } from 'preact/hooks';
import { rules, recentRuns, ruleRuns, activeKey, reloadRules, setEnabled, setActive } from '../state/automation.js';
import { canAct, isAdmin } from '../state/session.js';
import { navigate } from '../state/router.js';
import { Resource, ErrorBox, Empty, Loading, InlineError } from '../components/States.jsx';
import { Link } from '../components/Link.jsx';
import { ConfirmButton } from '../components/Confirm.jsx';
import { RuleEditor, RuleReadOnly } from '../components/RuleEditor.jsx';
import { RunHistory } from '../components/Runs.jsx';
import { AnalysisView } from './AutomationAnalysis.jsx';
import { fmtTime } from '../lib/format.js';
import { fmtMinutes, sourceSummary, metricSummary, lastRunByRule, fmtValue } from '../lib/automation.js';

/** A rule's tiers as value + action badge + duration. */
export function Tiers({ rule }) {
  const unit = rule.metric === 'rate' ? '/min' : '';
  return (
    <span class="tiers">
      {(rule.thresholds || []).map((t, i) => (
        <span class="tier" key={i}>
          <span class="num">{fmtValue(t.value) + unit}</span> <span class={'badge act-' + t.action}>{t.action}</span>
          {t.duration_minutes != null ? <span class="muted"> {fmtMinutes(t.duration_minutes)}</span> : null}
        </span>
      ))}
    </span>
  );
}

function LastRun({ run }) {
  if (!run) return <span class="muted">none today</span>;
  return (
    <span title={`${run.trigger.replace('_', ' ')}: matched ${run.matched}, acted ${run.acted}, suppressed ${run.suppressed}, superseded ${run.superseded}`}>
      <span class="mono">{fmtTime(run.at).slice(11, 16)}</span>{' '}
      {run.error ? <span class="bad">failed</span> : <span class="muted">{run.trigger === 'dry_run' ? 'dry' : run.trigger === 'manual' ? 'manual' : ''} {run.matched} hit{run.matched === 1 ? '' : 's'}</span>}
    </span>
  );
}

function EnabledToggle({ s }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const id = s.rule.id;
  if (!canAct.value) return <span>{s.rule.enabled ? 'yes' : 'no'}</span>;
  async function flip(e) {
    const on = e.currentTarget.checked;
    setBusy(true);
    setError(null);
    try {
      await setEnabled(id, on);
      await rules.load();
    } catch (x) {
      setError(x);
      e.currentTarget.checked = !on;
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <input type="checkbox" class="toggle" checked={s.rule.enabled} disabled={busy} onChange={flip} aria-label={`Enabled: ${id}`} />
      <InlineError error={error} />
    </>
  );
}

function RulesTable({ selected }) {
  const last = lastRunByRule(recentRuns.data.value ? recentRuns.data.value.runs : []);
  return (
    <Resource r={rules} what="Loading rules" isEmpty={(d) => !d.rules || !d.rules.length} empty="No rules. An admin can add one.">
      {(d) => {
        const list = [...d.rules].sort((a, b) => b.rule.priority - a.rule.priority || a.rule.id.localeCompare(b.rule.id));
        return (
          <table class="dense rules">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col" class="name">Name</th>
                <th scope="col">Enabled</th>
                <th scope="col" class="num">Priority</th>
                <th scope="col">Every</th>
                <th scope="col">Source, window</th>
                <th scope="col">Metric</th>
                <th scope="col">Thresholds → actions</th>
                <th scope="col">Last run (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.rule.id} class={(s.rule.id === selected ? 'selected ' : '') + (s.rule.enabled ? '' : 'off')}>
                  <td class="mono">
                    <Link href={'/automation?rule=' + encodeURIComponent(s.rule.id)} title={s.rule.name} aria-current={s.rule.id === selected ? 'true' : undefined}>
                      {s.rule.id}
                    </Link>
                  </td>
                  <td class="trunc name" title={s.rule.description || s.rule.name}>
                    {s.rule.name}
                  </td>
                  <td>
                    <EnabledToggle s={s} />
                  </td>
                  <td class="num">{s.rule.priority}</td>
                  <td>{fmtMinutes(s.rule.every_minutes)}</td>
                  <td class="src">{sourceSummary(s.rule)}</td>
                  <td class="metric">{metricSummary(s.rule)}</td>
                  <td>
                    <Tiers rule={s.rule} />
                  </td>
                  <td>{recentRuns.error.value ? <span class="muted">—</span> : <LastRun run={last.get(s.rule.id)} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      }}
    </Resource>
  );
}

function RuleDetail({ id, isNew }) {
  const d = rules.data.value;
  useEffect(() => {
    if (id) ruleRuns.load(id);
    else ruleRuns.reset();
  }, [id]);
  useEffect(() => {
    // opened from the table: bring the rule into view (the table alone fills a laptop screen)
    const el = document.getElementById('rule-detail');
    if (el && window.scrollY < el.offsetTop - 200) el.scrollIntoView({ block: 'start' });
  }, [id, isNew, !!d]);
  if (isNew) {
    if (!isAdmin.value) return <Empty>Only an admin may create rules.</Empty>;
    return <RuleEditor key="new" stored={null} />;
  }
  if (!d) return rules.error.value ? null : <Loading what="Loading the rule" />;
  const s = (d.rules || []).find((x) => x.rule.id === id);
  if (!s) return <Empty>No rule {id}.</Empty>;
  if (!canAct.value)
    return (
      <div class="grid2 rule-detail" id="rule-detail">
        <RuleReadOnly stored={s} />
        <RunHistory id={id} />
      </div>
    );
  return <RuleEditor key={id + ':' + s.version} stored={s} />;
}

function ActiveSwitch() {
  const k = activeKey.data.value;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  if (activeKey.error.value) return <ErrorBox error={activeKey.error.value} title="Automation state unknown" />;
  if (!k) return null;
  const on = k.value === 'true';
  async function flip() {
    setBusy(true);
    setError(null);
    try {
      await setActive(!on);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="active-switch">
      <span class={'fact ' + (on ? 'ok' : 'warn')} role="status">
        <span class="k">automation</span> <span class="v">{on ? 'active: due rules run every minute' : 'inactive: no rule runs on schedule'}</span>
      </span>
      {isAdmin.value ? (
        <ConfirmButton
          label={on ? 'Deactivate' : 'Activate'}
          question={on ? 'Stop running rules on schedule?' : 'Run the enabled rules on schedule? They act on clients.'}
          busy={busy}
          onConfirm={flip}
        />
      ) : null}
      <ErrorBox error={error} title="Not changed" />
    </div>
  );
}

function RulesView({ ruleId, isNew }) {
  useEffect(() => {
    reloadRules();
    const t = setInterval(() => recentRuns.load(), 30000);
    return () => clearInterval(t);
  }, []);
  return (
    <>
      <section class="panel" aria-labelledby="rules-h">
        <div class="panel-head">
          <h2 id="rules-h">Rules</h2>
          <span class="muted small">the highest priority wins a client hit by several rules in one cycle</span>
          <div class="spacer" />
          {isAdmin.value ? (
            <button type="button" onClick={() => navigate('/automation?new=1')}>
              New rule
            </button>
          ) : null}
        </div>
        <RulesTable selected={ruleId} />
      </section>
      {ruleId || isNew ? <RuleDetail id={isNew ? null : ruleId} isNew={isNew} /> : (
        <p class="muted">Open a rule by its id to see it, preview it (a dry run that acts on nothing) and its run history.</p>
      )}
    </>
  );
}

export function Automation({ view, ruleId, isNew }) {
  useEffect(() => {
    activeKey.load();
  }, []);
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Automation</h1>
        <nav aria-label="Automation views" class="tabs">
          <Link href="/automation" aria-current={view === 'rules' ? 'page' : undefined}>
            Rules
          </Link>
          <Link href="/automation/analysis" aria-current={view === 'analysis' ? 'page' : undefined}>
            Analysis
          </Link>
        </nav>
        <div class="spacer" />
        <ActiveSwitch />
      </div>
      {view === 'analysis' ? <AnalysisView /> : <RulesView ruleId={ruleId} isNew={isNew} />}
    </main>
  );
}
