import { useEffect } from 'preact/hooks';
import { path, match, navigate } from './state/router.js';
import { me, loadMe, api } from './state/session.js';
import { startHealth } from './state/health.js';
import { Header } from './components/Header.jsx';
import { Loading, ErrorBox } from './components/States.jsx';
import { Login } from './pages/Login.jsx';
import { Dashboard } from './pages/Dashboard.jsx';
import { LiveEvents } from './pages/LiveEvents.jsx';
import { Device } from './pages/Device.jsx';
import { WhoHad } from './pages/WhoHad.jsx';
import { Actions } from './pages/Actions.jsx';
import { Automation } from './pages/Automation.jsx';
import { Alarms } from './pages/Alarms.jsx';
import { AlarmDetail } from './pages/AlarmDetail.jsx';
import { Notifications } from './pages/Notifications.jsx';
import { signal } from '@preact/signals';

const meError = signal(null);

/** The operator tools' pages, loaded on first use (pages/tools/index.js is its own chunk). */
const TOOL_PAGES = ['firewall', 'ruleset', 'flow', 'bulk', 'captures'];
const tools = signal(null);
const toolsError = signal(null);
let toolsLoading = null;
function loadTools() {
  if (!toolsLoading)
    toolsLoading = import('./pages/tools/index.js').then(
      (m) => (tools.value = m),
      (e) => {
        toolsLoading = null; // a later visit tries again
        toolsError.value = e;
      },
    );
}

function toolPage(m) {
  const t = tools.value;
  if (!t) {
    loadTools();
    return (
      <main id="main" class="page">
        {toolsError.value ? <ErrorBox error={toolsError.value} title="The page did not load" /> : <Loading what="Loading the page" />}
      </main>
    );
  }
  if (m.page === 'firewall') return <t.Firewall />;
  if (m.page === 'ruleset') return <t.FirewallRuleset key={m.ruleset} name={m.ruleset} version={m.q.get('version')} />;
  if (m.page === 'flow') return <t.FlowVisualizer q={m.q} />;
  if (m.page === 'bulk') return <t.BulkActions />;
  return <t.Captures />;
}

const TITLES = { dashboard: 'Dashboard', events: 'Live events', device: 'Device', whohad: 'Devices', actions: 'Actions', automation: 'Automation', alarms: 'Alarms', alarm: 'Alarm', notifications: 'Notification settings', login: 'Sign in',
  firewall: 'Firewall', ruleset: 'Ruleset', flow: 'Flow visualizer', bulk: 'Bulk actions', captures: 'Captures' };

export function App() {
  const m = match(path.value);
  useEffect(() => {
    startHealth();
  }, []);
  useEffect(() => {
    document.title = (TITLES[m.page] || 'Not found') + (m.client ? ' ' + m.client : '') + (m.ruleset ? ' ' + m.ruleset : '') + ' · DHCP Shield';
  }, [m.page, m.client, m.ruleset]);
  useEffect(() => {
    if (m.page !== 'login' && !me.value) loadMe().catch((e) => (meError.value = e));
    if (m.page === 'login' && me.value) navigate('/', { replace: true });
  }, [m.page]);

  if (m.page === 'login') return <Login next={m.q.get('next')} />;
  if (!me.value) {
    return (
      <main id="main" class="page">
        {meError.value ? <ErrorBox error={meError.value} /> : <Loading what="Checking the session" />}
      </main>
    );
  }
  let page;
  if (m.page === 'dashboard') page = <Dashboard />;
  else if (m.page === 'events') page = <LiveEvents />;
  else if (m.page === 'device') page = <Device key={m.client} client={m.client} />;
  else if (m.page === 'whohad') page = <WhoHad />;
  else if (m.page === 'actions') page = <Actions key={m.q.get('actor') || ''} actor={m.q.get('actor')} />;
  else if (m.page === 'alarms') page = <Alarms q={m.q} />;
  else if (m.page === 'alarm') page = <AlarmDetail key={m.alarm} id={m.alarm} />;
  else if (m.page === 'notifications') page = <Notifications q={m.q} />;
  else if (m.page === 'automation') page = <Automation view={m.view} ruleId={m.q.get('rule')} isNew={m.q.has('new')} />;
  else if (TOOL_PAGES.includes(m.page)) page = toolPage(m);
  else
    page = (
      <main id="main" class="page">
        <h1>Not found</h1>
        <p>No page at {path.value}.</p>
      </main>
    );
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Header />
      {page}
    </>
  );
}

export { api };
