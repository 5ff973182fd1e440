/**
 * Short, standalone copies of untrusted values for messages. A hostile feed can put megabytes in
 * a price or a symbol; messages that quoted the whole value (and the last rejections kept for
 * reports) held hundreds of MB. V8 also makes `slice` of a long string a view that keeps the
 * whole parent alive, so a cut alone is not enough: the kept text must be a copy.
 */

/** Characters of an offending value quoted in a rejection message. */
export const MESSAGE_VALUE_CHARS = 40;
/** Upper bound of any rejection message kept or handed on (decoder messages included). */
export const MAX_MESSAGE_CHARS = 300;

/** A flat copy of `text` that shares no memory with the string it was cut from. */
function detached(text: string): string {
  // Strings below V8's sliced-string threshold (13) are copied anyway; longer ones are not.
  // Rebuilt from char codes (plain JS: core code also runs outside Node).
  if (text.length < 13) return text;
  let out = '';
  for (let i = 0; i < text.length; i += 4096) {
    const codes: number[] = [];
    const end = Math.min(text.length, i + 4096);
    for (let k = i; k < end; k++) codes.push(text.charCodeAt(k));
    out += String.fromCharCode(...codes);
  }
  return out;
}

/**
 * `text` when it has at most `max` characters, else its first `max` characters followed by
 * `… (N chars)`; always a detached copy (see above). Never splits a surrogate pair.
 */
export function clip(text: string, max = MESSAGE_VALUE_CHARS): string {
  if (text.length <= max) return detached(text);
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${detached(text.slice(0, end))}… (${text.length} chars)`;
}

/** `JSON.stringify(value)` for a string, clipped: quotes only around the kept part. */
export function quoteClipped(text: string, max = MESSAGE_VALUE_CHARS): string {
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(clip(text.slice(0, max), max))}… (${text.length} chars)`;
}
