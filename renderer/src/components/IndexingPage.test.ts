import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../src/common/api/jobs';
import { i18n } from '../lib/i18n.svelte';
import { indexing } from '../lib/indexing.svelte';
import IndexingPage from './IndexingPage.svelte';

const job = (over: Partial<JobInfo>): JobInfo => ({
  id: 1,
  kind: 'index',
  subject: '/photos',
  params: {},
  state: 'queued',
  done: 0,
  failed: 0,
  total: null,
  rate: null,
  etaSeconds: null,
  error: null,
  createdAt: 0,
  startedAt: null,
  finishedAt: null,
  ...over,
});

/** A stand-in bridge holding a job queue; jobs.* calls change it as the engine would. */
function fakeBridge(jobs: JobInfo[]) {
  const calls: { channel: string; input: unknown }[] = [];
  window.facet = {
    call: (async (channel: string, input: { id?: number }) => {
      calls.push({ channel, input });
      if (channel === 'index.progress')
        return {
          ok: true,
          value: { phase: 'idle', done: 0, total: 0, upToDate: 0, photosPerSecond: 0, etaSeconds: null, current: null, failed: 0 },
        };
      if (channel === 'library.files') return { ok: true, value: [] };
      if (channel === 'jobs.list') return { ok: true, value: jobs };
      const target = jobs.find((j) => j.id === input.id);
      if (target && channel === 'jobs.pause') target.state = 'paused';
      if (target && channel === 'jobs.resume') target.state = 'queued';
      if (target && channel === 'jobs.cancel') target.state = 'cancelled';
      return { ok: true, value: target };
    }) as never,
    on: (() => () => {}) as never,
  };
  return calls;
}

afterEach(() => {
  cleanup();
  delete window.facet;
  i18n.locale = 'en';
});

describe('IndexingPage: the job queue', () => {
  it('shows what runs (progress, rate, time left), what waits and what failed with its reason', async () => {
    fakeBridge([
      job({
        id: 3,
        kind: 'backfill-clip',
        subject: 'clip-vit-b32-openai',
        state: 'running',
        done: 120,
        total: 400,
        rate: 12.5,
        etaSeconds: 22.4,
      }),
      job({ id: 4, kind: 'backfill-faces', subject: 'faces', state: 'queued' }),
      job({ id: 5, kind: 'resuggest', subject: 'people', state: 'paused' }),
      job({ id: 2, kind: 'export-xmp', subject: 'XMP sidecars', state: 'failed', error: 'EACCES: /photos/a.xmp is read-only' }),
      job({ id: 1, kind: 'index', subject: '/photos', state: 'done', done: 400, total: 400 }),
    ]);
    await indexing.connect(() => {});
    render(IndexingPage);
    await waitFor(() => expect(screen.getByText('Making earlier photos searchable (clip-vit-b32-openai)')).toBeTruthy());
    expect(screen.getByText('120 of 400 photos')).toBeTruthy();
    expect(screen.getByText('12.5 photos per second')).toBeTruthy();
    expect(screen.getByText('Finding faces in earlier photos')).toBeTruthy();
    expect(screen.getByText('Updating people suggestions')).toBeTruthy();
    expect(screen.getByText('Failed: EACCES: /photos/a.xmp is read-only')).toBeTruthy();
    expect(document.querySelectorAll('[data-job-state="queued"], [data-job-state="paused"]')).toHaveLength(2);
    expect(document.querySelector('[data-job-state="done"]')?.textContent).toContain('Indexing /photos');
  });

  it('pauses, resumes and cancels a job through the jobs channels', async () => {
    const calls = fakeBridge([
      job({ id: 7, kind: 'backfill-clip', subject: 'm', state: 'running', done: 1, total: 10 }),
      job({ id: 8, kind: 'index', subject: '/b', state: 'paused' }),
    ]);
    await indexing.connect(() => {});
    render(IndexingPage);
    const running = await waitFor(() => document.querySelector('[data-job-state="running"]') as HTMLElement);
    await fireEvent.click(running.querySelector('button')!); // Pause
    const paused = document.querySelector('[data-job-state="paused"]') as HTMLElement;
    await fireEvent.click(paused.querySelector('button')!); // Resume (job 8)
    await waitFor(() =>
      expect(calls.map((c) => c.channel).filter((c) => c.startsWith('jobs.') && c !== 'jobs.list')).toEqual(['jobs.pause', 'jobs.resume']),
    );
    expect(calls.filter((c) => c.channel !== 'jobs.list' && c.channel.startsWith('jobs.')).map((c) => c.input)).toEqual([
      { id: 7 },
      { id: 8 },
    ]);
    const cancel = await waitFor(() => screen.getAllByRole('button', { name: 'Cancel' })[0]!);
    await fireEvent.click(cancel);
    await waitFor(() => expect(calls.some((c) => c.channel === 'jobs.cancel')).toBe(true));
  });

  it('speaks Korean, and names a job kind it does not know by its kind', async () => {
    i18n.locale = 'ko';
    fakeBridge([job({ id: 9, kind: 'ocr' as JobInfo['kind'], subject: 'text', state: 'queued' })]);
    await indexing.connect(() => {});
    render(IndexingPage);
    await waitFor(() => expect(screen.getByText('ocr (text)')).toBeTruthy());
    expect(screen.getByText('백그라운드 작업')).toBeTruthy();
    expect(screen.getByText('대기 중')).toBeTruthy();
  });
});
