// Copies a text to the clipboard, and says so.
import { useState } from 'preact/hooks';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setDone('copied'),
      () => setDone('failed'),
    );
  return (
    <button type="button" class="copy" onClick={copy} onBlur={() => setDone(null)}>
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Select and copy by hand' : label}
    </button>
  );
}
