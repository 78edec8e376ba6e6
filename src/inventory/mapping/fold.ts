/** Comparison form of header names and mapped values: accents, case, apostrophe variants and spaces ignored. */
export function fold(text: string): string {
  return text
    .replace(/^\ufeff/, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A column reference as a list of alternative names. */
export function alternatives(ref: string | readonly string[]): readonly string[] {
  return typeof ref === 'string' ? [ref] : ref;
}
