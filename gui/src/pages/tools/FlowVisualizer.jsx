import { useEffect, useRef, useState } from 'preact/hooks';
import { flowTypes, flow } from '../../state/firewall.js';
import { navigate } from '../../state/router.js';
import { Resource, ErrorBox, Loading } from '../../components/States.jsx';
import { ToolTabs } from '../../components/ToolTabs.jsx';
import { usePoll } from '../../components/usePoll.js';
import { fmtCount, fmtTime } from '../../lib/format.js';
import { buildLadder, hookText, stepText, stepPackets, stepSet, verdictClass, counterDeltas, flowSummary, typeGroups, typeDirection } from '../../lib/flow.js';

const POLL_MS = 5000;

/** A chain step's label without the chain's name, which is shown already: "(filter, policy accept)". */
function afterChainName(label, chain) {
  const l = label || '';
  return l.startsWith('chain ' + chain) ? l.slice(6 + chain.length).trim() : l;
}

function Step({ node, f, deltas }) {
  const s = node.step;
  const v = verdictClass(s.verdict);
  const set = stepSet(s, f);
  const packets = stepPackets(s, f);
  const delta = deltas[s.id];
  return (
    <li class={'step kind-' + s.kind + (v ? ' v-' + v : '') + (s.taken === 'no' ? ' not-taken' : '') + (s.taken === 'if' ? ' conditional' : '')}>
      <div class="step-box">
        {/* the sentence is what a screen reader reads; the boxes below say the same for the eye */}
        <span class="sr-only">{stepText(s, f, delta)}</span>
        <span class="step-kind" aria-hidden="true">
          {s.kind === 'chain' ? 'chain' : s.rule != null ? 'rule ' + s.rule : s.kind}
        </span>
        <span class="step-label" aria-hidden="true">
          {s.kind === 'chain' ? <strong>{s.chain}</strong> : null} {s.kind === 'chain' ? afterChainName(s.label, s.chain) : s.label}
        </span>
        <span class="step-facts" aria-hidden="true">
          {set ? (
            <span class="chip set" title={`set ${set.name}`}>
              @{set.name} <b>{set.elements == null ? '?' : fmtCount(set.elements)}</b>
              {set.size != null ? <span class="muted">/{fmtCount(set.size)}</span> : null}
            </span>
          ) : null}
          {s.counter || packets != null ? (
            <span class={'chip counter' + (delta ? ' moving' : '')} title={s.counter ? 'counter ' + s.counter : 'packets'}>
              {s.counter ? s.counter + ' ' : ''}
              <b>{packets == null ? '?' : fmtCount(packets)}</b> pkts{delta ? <span class="delta"> +{fmtCount(delta)}</span> : null}
            </span>
          ) : null}
          {s.taken === 'no' ? <span class="taken-no" title="this message type never matches this rule">not for {f.type}</span> : null}
          {s.verdict ? <span class={'verdict v-' + (v || 'continue')}>{(s.taken === 'if' ? 'if so: ' : '') + s.verdict}</span> : null}
        </span>
      </div>
      {node.children.length ? <Steps nodes={node.children} f={f} deltas={deltas} /> : null}
    </li>
  );
}

function Steps({ nodes, f, deltas }) {
  return (
    <ol class="steps">
      {nodes.map((n) => (
        <Step key={n.step.id} node={n} f={f} deltas={deltas} />
      ))}
    </ol>
  );
}

/** The ladder: one box per base chain (hook, priority), its steps as nested ordered lists. */
function Ladder({ f, deltas }) {
  const groups = buildLadder(f);
  if (!groups.length) return <p class="state empty">The ruleset has no path for {f.type} {f.direction}.</p>;
  return (
    <>
      <p class="small">{flowSummary(f, groups)}</p>
      <ol class="ladder" aria-label={`Path of ${f.type} ${f.direction} through the ruleset`}>
        {groups.map((g, i) => (
          <li key={i} class="base-chain">
            <div class="base-head">
              <span class="hook">{hookText(g) || 'chain'}</span> <strong class="mono">{g.chain}</strong>
              {g.head ? <span class="muted"> {afterChainName(g.head.label, g.chain)}</span> : null}
            </div>
            {g.nodes.length ? <Steps nodes={g.nodes} f={f} deltas={deltas} /> : <p class="muted small">no step for this type</p>}
          </li>
        ))}
      </ol>
    </>
  );
}

function Legend() {
  return (
    <ul class="flow-legend" aria-label="Legend">
      <li>
        <span class="verdict v-accept">accept</span> the packet goes on
      </li>
      <li>
        <span class="verdict v-drop">drop</span> the kernel drops it
      </li>
      <li>
        <span class="verdict v-jump">jump</span> into another chain (indented)
      </li>
      <li>
        <span class="verdict v-continue">continue</span> next rule; <span class="verdict v-drop">if so: drop</span> when the client is in the set or over its limit; dashed, "not for": never for this type
      </li>
      <li>
        <span class="chip set">@set <b>n</b></span> elements in the set now
      </li>
      <li>
        <span class="chip counter">
          <b>n</b> pkts <span class="delta">+n</span>
        </span>{' '}
        counted, and since the last read
      </li>
    </ul>
  );
}

/** The path a message type takes through the nft ruleset, with live set sizes and counters. */
export function FlowVisualizer({ q }) {
  const [auto, setAuto] = useState(true);
  const [deltas, setDeltas] = useState({});
  const [readAt, setReadAt] = useState(null);
  const prev = useRef(null);
  const types = flowTypes.data.value ? flowTypes.data.value.types || [] : [];
  const type = q.get('type') || (types.find((t) => t.name === 'DISCOVER') ? 'DISCOVER' : types[0] ? types[0].name : '');
  const direction = q.get('direction') || typeDirection(types, type);
  useEffect(() => {
    flowTypes.load();
  }, []);
  useEffect(() => {
    if (!type) return;
    prev.current = null;
    setDeltas({});
    flow.reset();
    flow.load(type, direction);
  }, [type, direction]);
  const f = flow.data.value;
  useEffect(() => {
    if (!f) return;
    setDeltas(counterDeltas(prev.current, f));
    setReadAt(Date.now());
    prev.current = f;
  }, [f]);
  usePoll(() => type && flow.load(type, direction), auto ? POLL_MS : null);
  const choose = (t, dir) => navigate(`/firewall/flow?type=${encodeURIComponent(t)}&direction=${encodeURIComponent(dir)}`, { replace: true });

  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Flow visualizer</h1>
        <ToolTabs current="/firewall/flow" />
      </div>
      <section class="panel" aria-labelledby="flow-h">
        <h2 id="flow-h" class="sr-only">
          Which flow
        </h2>
        <form class="filters" aria-label="Message type and direction" onSubmit={(e) => e.preventDefault()}>
          <div class="field">
            <label for="fl-type">Message type</label>
            <select id="fl-type" value={type} disabled={!types.length} onChange={(e) => choose(e.currentTarget.value, typeDirection(types, e.currentTarget.value))}>
              {typeGroups(types).map((g) => (
                <optgroup key={g.family} label={g.label}>
                  {g.types.map((t) => (
                    <option key={g.family + t.name} value={t.name}>
                      {(t.label || t.name).replace(/^DHCPv[46] /, '')}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <fieldset class="modes inline">
            <legend>Direction</legend>
            {['inbound', 'outbound'].map((d) => (
              <label key={d} class="mode">
                <input type="radio" name="fl-dir" checked={direction === d} onChange={() => choose(type, d)} /> {d}
              </label>
            ))}
          </fieldset>
          <label class="check">
            <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.currentTarget.checked)} /> refresh the counters every {POLL_MS / 1000} s
          </label>
          <button type="button" onClick={() => flow.load(type, direction)} disabled={!type}>
            Refresh now
          </button>
          {f && readAt ? (
            <span class="muted small">
              read {fmtTime(readAt)} UTC{f.type_bits ? ` · type bits ${f.type_bits}` : ''}
            </span>
          ) : null}
        </form>
        {flowTypes.error.value ? <ErrorBox error={flowTypes.error.value} title="Message types" /> : null}
        <Legend />
      </section>
      <section class="panel flow" aria-labelledby="ladder-h">
        <h2 id="ladder-h">
          {type} {direction}
        </h2>
        {!type && !flowTypes.error.value ? <Loading what="Loading message types" /> : null}
        {type ? (
          <Resource r={flow} what="Reading the ruleset">
            {(x) => <Ladder f={x} deltas={deltas} />}
          </Resource>
        ) : null}
      </section>
    </main>
  );
}
