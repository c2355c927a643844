/**
 * The form text is compared in: Unicode NFKC (full-width letters and digits become ASCII, ligatures
 * split), lower case, runs of whitespace as one space. Used for recognised text when it is stored and
 * for the query, so "ＥＸＩＴ", "Exit" and "exit" all meet.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
