// One call in full: why it was refused (4xx/5xx), the request and the response as the journal
// recorded them (secrets redacted), bodies in their media type, and the call as a curl command.
import { curlCommand } from '../curl.js';
import { bodyNote, clockTime, latency, mediaType, readableBody } from '../format.js';
import { refusalOf } from '../refusal.js';
import type { JournalEntry } from '../types.js';
import { CopyButton } from './CopyButton.js';

export function EntryDetail({ entry, onClose }: { entry: JournalEntry; onClose(): void }) {
  const refusal = refusalOf(entry);
  const curl = curlCommand(entry, location.origin);
  return (
    <aside class="detail" aria-label="call detail">
      <div class="detail-head">
        <h2>
          <span class="method">{entry.method}</span> <span class="path">{entry.path}</span>
        </h2>
        <button class="link" onClick={onClose} aria-label="close">
          ✕
        </button>
      </div>
      <dl class="facts">
        <dt>status</dt>
        <dd class="status">{entry.status}</dd>
        <dt>vendor</dt>
        <dd>{entry.vendor}</dd>
        <dt>time</dt>
        <dd>{clockTime(entry.time)}</dd>
        {entry.emulatedTime !== null && (
          <>
            <dt>test clock</dt>
            <dd class="emulated-time">{entry.emulatedTime}</dd>
          </>
        )}
        <dt>latency</dt>
        <dd>{latency(entry.latencyMs)}</dd>
        <dt>tenant</dt>
        <dd>{entry.tenant ?? 'none (not authenticated)'}</dd>
        <dt>key id</dt>
        <dd>{entry.keyId ?? '—'}</dd>
        <dt>instance</dt>
        <dd>{entry.instance}</dd>
      </dl>
      {refusal && (
        <div class="refusal" role="note">
          <strong>Refused by {refusal.check}</strong>
          {refusal.message && <p>{refusal.message}</p>}
        </div>
      )}
      <Message
        title="Request"
        headers={entry.request.headers}
        body={entry.request.body}
        contentType={entry.request.headers['content-type'] ?? null}
      />
      <Message
        title="Response"
        headers={entry.response.headers}
        body={entry.response.body}
        contentType={entry.response.contentType}
      />
      <div class="curl">
        <div class="section-head">
          <h3>As curl</h3>
          <CopyButton text={curl} label="Copy as curl" />
        </div>
        <pre>{curl}</pre>
      </div>
    </aside>
  );
}

function Message({
  title,
  headers,
  body,
  contentType,
}: {
  title: string;
  headers: Record<string, string>;
  body: string | null;
  contentType: string | null;
}) {
  const type = mediaType(contentType);
  const note = bodyNote(type);
  return (
    <section class={`message ${title.toLowerCase()}`}>
      <h3>{title}</h3>
      <table class="headers">
        <tbody>
          {Object.entries(headers).map(([name, value]) => (
            <tr key={name}>
              <th>{name}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="body-head">
        body{type && <span class="media-type">{type}</span>}
        {note && <span class="note">{note}</span>}
      </div>
      {body === null ? <p class="empty">no body</p> : <pre class="body">{readableBody(body, type)}</pre>}
    </section>
  );
}
