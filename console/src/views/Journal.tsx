// The live journal: every vendor call, newest first, as it happens. Filters narrow it by vendor,
// status class and any text (path, tenant, key id, instance, bodies); a row opens its detail.
import { Fragment } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { clockTime, latency, pathParts, STATUS_CLASSES, statusClass, type StatusClass } from '../format.js';
import type { JournalEntry } from '../types.js';
import { EntryDetail } from './EntryDetail.js';
import { VendorSelect } from './VendorSelect.js';

export function Journal({ entries, vendors }: { entries: JournalEntry[]; vendors: string[] }) {
  const [vendor, setVendor] = useState('');
  const [status, setStatus] = useState<StatusClass | ''>('');
  const [text, setText] = useState('');
  const [openId, setOpenId] = useState<number | null>(null);

  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return entries.filter(
      (e) =>
        (vendor === '' || e.vendor === vendor) &&
        (status === '' || statusClass(e.status) === status) &&
        (needle === '' || searchable(e).includes(needle)),
    );
  }, [entries, vendor, status, text]);
  const open = openId === null ? undefined : entries.find((e) => e.id === openId);

  return (
    <section class="journal">
      <div class="filters">
        <VendorSelect name="vendor" value={vendor} vendors={vendors} all="all" onChange={setVendor} />
        <label>
          Status
          <select name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value as StatusClass | '')}>
            <option value="">all</option>
            {STATUS_CLASSES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label class="grow">
          Text
          <input
            type="search"
            name="text"
            placeholder="path, tenant, key id, body…"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <span class="count">
          {shown.length} of {entries.length} calls
        </span>
      </div>
      <div class={open ? 'split' : ''}>
        <div class="table-wrap">
          <table class="entries">
            <thead>
              <tr>
                <th>time</th>
                <th>vendor</th>
                <th>method</th>
                <th>path</th>
                <th>status</th>
                <th>latency</th>
                <th>tenant</th>
                <th class="key-id">key id</th>
                <th class="instance">instance</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr
                  key={e.id}
                  class={`entry s${statusClass(e.status)}${e.id === openId ? ' open' : ''}`}
                  data-id={e.id}
                  data-vendor={e.vendor}
                  tabIndex={0}
                  onClick={() => setOpenId(e.id === openId ? null : e.id)}
                  onKeyDown={(k) => k.key === 'Enter' && setOpenId(e.id)}
                >
                  <td class="time">{clockTime(e.time)}</td>
                  <td class="vendor">{e.vendor}</td>
                  <td class="method">{e.method}</td>
                  <td class="path">
                    {pathParts(e.path).map((part, i) => (
                      <Fragment key={i}>
                        {i > 0 && <wbr />}
                        <span class="segment">{part}</span>
                      </Fragment>
                    ))}
                  </td>
                  <td class="status">{e.status}</td>
                  <td class="latency">{latency(e.latencyMs)}</td>
                  <td class="tenant" title={e.tenant ?? undefined}>
                    {e.tenant ?? '—'}
                  </td>
                  <td class="key-id" title={e.keyId ?? undefined}>
                    {e.keyId ?? '—'}
                  </td>
                  <td class="instance" title={e.instance}>
                    {e.instance}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {entries.length === 0 && (
            <p class="empty">
              No vendor calls yet. Point a client at this keyforge (or paste a curl line from the banner): calls appear
              here as they happen.
            </p>
          )}
        </div>
        {open && <EntryDetail key={open.id} entry={open} onClose={() => setOpenId(null)} />}
      </div>
    </section>
  );
}

function searchable(e: JournalEntry): string {
  return [e.path, e.method, String(e.status), e.tenant, e.keyId, e.instance, e.request.body, e.response.body]
    .join('\n')
    .toLowerCase();
}
