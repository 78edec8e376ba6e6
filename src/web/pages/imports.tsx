/**
 * Imports: upload inventory files one by one, each with its own mapping (a preset id, optional), see each file's
 * validation report, start the assessment and follow the job (polled every 2 s, never faster).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, paths, type Job, type Upload } from '../api.js';
import { formatNumber, formatPercent } from '../format.js';
import { useApp } from '../app/context.js';
import { POLL_MS, useGet } from '../app/hooks.js';
import { Async, ErrorBox, Section } from '../app/ui.js';

export function ImportsPage() {
  const { t, lang, api, campaign, reloadCampaigns } = useApp();
  const uploads = useGet<Upload[]>(campaign ? paths.uploads(campaign.id) : null);
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<Job | null>(null);

  useEffect(() => {
    if (!job || job.status === 'done' || job.status === 'failed') return;
    const timer = setTimeout(() => {
      api.get<Job>(paths.job(job.id)).then((j) => {
        setJob(j);
        if (j.status === 'done') reloadCampaigns();
      }, setError);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [api, job, reloadCampaigns]);

  if (!campaign) return <h1>{t('imports.title')}</h1>;
  const upload = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    const form = new FormData();
    // The server reads text fields before the file part.
    if (mapping.trim() !== '') form.append('mapping', mapping.trim());
    form.append('file', file, file.name);
    try {
      await api.post<Upload>(paths.uploads(campaign.id), form);
      setFile(null);
      (e.target as HTMLFormElement).reset();
      uploads.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : null);
    } finally {
      setBusy(false);
    }
  };
  const assess = async () => {
    setError(null);
    try {
      const { jobId } = await api.post<{ jobId: string }>(paths.assessments(campaign.id));
      setJob(await api.get<Job>(paths.job(jobId)));
    } catch (err) {
      setError(err instanceof ApiError ? err : null);
    }
  };
  return (
    <>
      <h1>{t('imports.title')}</h1>
      {campaign.locked ? <p class="notice">{t('imports.locked')}</p> : null}
      <Section title={t('imports.upload')}>
        <form class="row" onSubmit={upload} data-testid="upload-form">
          <label>
            {t('imports.file')}
            <input
              type="file"
              data-testid="upload-file"
              required
              accept=".csv,.tsv,.txt,.xlsx,.ods,.json"
              onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
            />
          </label>
          <label>
            {t('imports.mapping')}
            <input
              data-testid="upload-mapping"
              value={mapping}
              onInput={(e) => setMapping((e.target as HTMLInputElement).value)}
            />
          </label>
          <button type="submit" data-testid="upload-submit" disabled={busy || campaign.locked}>
            {t('imports.upload')}
          </button>
        </form>
      </Section>
      {error ? <ErrorBox error={error} /> : null}
      <Section
        title={t('imports.uploads')}
        tools={
          <button type="button" data-testid="assess-start" disabled={campaign.locked} onClick={() => void assess()}>
            {t('imports.assess')}
          </button>
        }
      >
        {job ? (
          <div role="status" data-testid="job-status" data-status={job.status}>
            <p>{t('imports.progress', { status: job.status, percent: formatPercent(job.progress, lang) })}</p>
            <progress class="progress" max={1} value={job.progress} aria-label={t('imports.assess')} />
            {job.errors.map((m, i) => (
              <p class="error" key={i}>
                {m}
              </p>
            ))}
          </div>
        ) : null}
        <Async state={uploads}>
          {(list) => (
            <table class="data-table" data-testid="uploads-table">
              <caption class="visually-hidden">{t('imports.uploads')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('imports.file')}</th>
                  <th scope="col">{t('imports.mapping')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col" class="num">
                    {t('imports.read')}
                  </th>
                  <th scope="col" class="num">
                    {t('imports.imported')}
                  </th>
                  <th scope="col" class="num">
                    {t('imports.rejected')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((u) => (
                  <tr key={u.id}>
                    <th scope="row">{u.fileName}</th>
                    <td>{u.mapping ?? '—'}</td>
                    <td class={u.status === 'valid' ? 'ok' : 'error'}>
                      {u.status}
                      {u.report.fileError ? ` — ${u.report.fileError.message}` : ''}
                    </td>
                    <td class="num">{formatNumber(u.report.read, lang)}</td>
                    <td class="num">{formatNumber(u.report.imported, lang)}</td>
                    <td class="num">{formatNumber(u.report.rejected, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Async>
      </Section>
    </>
  );
}
