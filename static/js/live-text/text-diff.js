// What one edit of a textarea changed, as a single splice: the textarea only tells us its
// new value, Y.Text wants delete/insert at an index. Indexes are UTF-16 code units, as
// both the textarea and Y.Text count them; a splice never cuts a surrogate pair in two.

const isHighSurrogate = (code) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code) => code >= 0xdc00 && code <= 0xdfff;

function commonPrefix(a, b, limit) {
  let n = 0;
  while (n < limit && a.charCodeAt(n) === b.charCodeAt(n)) n += 1;
  if (n > 0 && isHighSurrogate(a.charCodeAt(n - 1))) n -= 1;
  return n;
}

function commonSuffix(a, b, limit) {
  let n = 0;
  while (n < limit && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n += 1;
  if (n > 0 && isLowSurrogate(a.charCodeAt(a.length - n))) n -= 1;
  return n;
}

/**
 * The splice {index, remove, insert} that turns `before` into `after`.
 *
 * `caret` (the caret after the edit) says where an ambiguous edit happened: typing "a"
 * into "aa" between the two is an insert at 1, not at 2. It matters to the others: their
 * carets and selections (relative positions) stay attached to the right characters.
 */
export function spliceBetween(before, after, caret = null) {
  const shorter = Math.min(before.length, after.length);
  let prefix;
  let suffix;
  if (caret === null) {
    prefix = commonPrefix(before, after, shorter);
    suffix = commonSuffix(before, after, shorter - prefix);
  } else {
    // What follows the caret was not touched (typing and deleting both leave it there).
    suffix = commonSuffix(before, after, Math.min(shorter, after.length - Math.min(caret, after.length)));
    prefix = commonPrefix(before, after, shorter - suffix);
  }
  return {
    index: prefix,
    remove: before.length - prefix - suffix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

/**
 * Move a local splice made on `base` onto `current`, which others changed meanwhile (typing
 * before the document was open, or during an IME composition). Returns splices on
 * `current`, last first, so each index holds when applied in order. Their text is kept:
 * where both changed the same place, ours is put after theirs.
 */
export function rebaseSplice(splice, base, current) {
  const theirs = spliceBetween(base, current);
  const theirEnd = theirs.index + theirs.remove;
  const shift = theirs.insert.length - theirs.remove;
  const end = splice.index + splice.remove;
  if (end <= theirs.index) return [splice];
  if (splice.index >= theirEnd) return [{ ...splice, index: splice.index + shift }];
  // Overlapping: delete what we deleted outside their change, insert after their text.
  const before = Math.max(0, theirs.index - splice.index);
  const after = Math.max(0, end - theirEnd);
  const afterTheirs = theirs.index + theirs.insert.length;
  return [
    { index: afterTheirs, remove: after, insert: splice.insert },
    { index: splice.index, remove: before, insert: "" },
  ];
}
