/** Helpers of the digital-service server tests: a G4IT digital-service zip, a binary multipart body. */
import { ZipWriter } from '../../src/formats/zip-write.js';

/** A terminal line of G4IT's export layout on the default pack's `ademe-laptop` (100 users × 1,600 h). */
export const G4IT_PHYSICAL =
  'nomEquipementPhysique;modele;quantite;type;paysDUtilisation;dateAchat;dateRetrait;dureeUtilisation;nombreUtilisateur\n' +
  'Agents;ademe-laptop;18.264840182648403;Terminal;France;2020-01-01;2023-12-31;1600;100\n';

/** A zip holding `files` (name → text), as G4IT's export writes one. */
export async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const zip = new ZipWriter((c) => {
    chunks.push(Buffer.from(c));
  });
  for (const [name, text] of Object.entries(files)) {
    const e = zip.entry(name);
    await e.write(text);
    await e.close();
  }
  await zip.finish();
  return Buffer.concat(chunks);
}

export const g4itZip = (physical = G4IT_PHYSICAL): Promise<Buffer> => zipOf({ 'physical_equipment.csv': physical });

/** multipart/form-data with text fields then one binary `file` part, for `app.inject`. */
export function multipartBytes(fileName: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = `----empreinte${Math.random().toString(16).slice(2)}`;
  const head = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const payload = Buffer.concat([
    Buffer.from(
      `${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/zip\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
