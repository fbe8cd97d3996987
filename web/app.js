// app.js: the home page: server status, reference data counts and the
// synthetic-data banner.
import { get } from './api.js';
import { load, t, toggle, lang } from './i18n.js';

const $ = (id) => document.getElementById(id);
let meta = null;
let stats = null;
let error = null;

function render() {
  const n = (x) => x.toLocaleString(lang());
  $('lang').textContent = t('lang.other');
  $('lang').setAttribute('aria-label', t('lang.other'));
  $('demo').hidden = !meta?.demo;
  if (meta?.demo) $('demo').textContent = t('demo.banner', { n: n(meta.demo_persons) });
  if (meta && stats) {
    $('status').textContent = t('status.ok');
    $('version').textContent = meta.version;
    $('provinces').textContent = n(stats.provinces);
    $('communes').textContent = n(stats.communes);
  }
  $('error').hidden = !error;
  if (error) $('error').textContent = t(`error.${error.code}`);
}

async function main() {
  await load();
  $('lang').addEventListener('click', async () => {
    await toggle();
    render();
  });
  try {
    [meta, stats] = await Promise.all([get('/api/meta'), get('/api/ref/stats')]);
  } catch (e) {
    error = e;
  }
  render();
}

main();
