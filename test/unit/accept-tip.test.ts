import { describe, expect, it } from 'vitest';
import { UnsupportedEventError } from '../../shared/domain/errors.js';
import { deriveTipId } from '../../shared/domain/ids.js';
import type { Source } from '../../shared/domain/model.js';
import { acceptTip } from '../../shared/usecases/accept-tip.js';
import { DependencyFailedError, UnavailableError, ValidationError } from '../../shared/usecases/errors.js';
import { make12336Tip, makeTip } from '../fixtures/tips.js';
import { FakeVault, ManualClock, MemoryTipQueue } from '../support/memory-ports.js';

const NOW = new Date('2026-11-28T02:00:00Z');

function setup() {
  const queue = new MemoryTipQueue();
  return { queue, deps: { queue, vault: new FakeVault(), clock: new ManualClock(NOW) } };
}

const bodyOf = (source: Source) => makeTip(source, NOW) as Record<string, unknown>;

describe('acceptTip (the use case, without HTTP)', () => {
  it.each(['12336', '12345', 'city-management'] as const)(
    'queues a %s tip under the id derived from its external id',
    async (source) => {
      const { deps, queue } = setup();
      const accepted = await acceptTip({ source, body: bodyOf(source) }, deps);
      const tip = queue.messages[0];
      expect(accepted).toEqual({ tipId: tip?.tipId, status: 'queued' });
      expect(tip?.tipId).toBe(deriveTipId(source, tip?.externalId ?? ''));
      expect(tip?.acceptedAt).toBe(NOW.toISOString());
    },
  );

  it('rejects an event the source does not send as a tip, before its schema', async () => {
    const { deps, queue } = setup();
    await expect(
      acceptTip({ source: 'city-management', body: { eventType: 'case.closed' } }, deps),
    ).rejects.toBeInstanceOf(UnsupportedEventError);
    expect(queue.messages).toHaveLength(0);
  });

  it('names every failing field of an invalid body', async () => {
    const { deps, queue } = setup();
    const body = { ...bodyOf('12336'), reportId: '', description: undefined };
    const failure = await acceptTip({ source: '12336', body }, deps).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as ValidationError).details?.map((detail) => detail.path)).toEqual([
      'reportId',
      'description',
    ]);
    expect(queue.messages).toHaveLength(0);
  });

  it('passes a queue failure on as a dependency failure, keeping it as the cause', async () => {
    const refused = new Error('connect ECONNREFUSED');
    const { deps } = setup();
    const failing = { ...deps, queue: { enqueue: () => Promise.reject(refused) } };
    const failure = await acceptTip({ source: '12336', body: bodyOf('12336') }, failing).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DependencyFailedError);
    expect((failure as Error).cause).toBe(refused);
  });

  it('queues nothing when the reporter cannot be sealed', async () => {
    const { deps, queue } = setup();
    const vault = { seal: () => Promise.reject(new Error('key unavailable')), open: async () => ({}) };
    await expect(
      acceptTip(
        { source: '12336', body: make12336Tip({}, NOW) as Record<string, unknown> },
        { ...deps, vault },
      ),
    ).rejects.toBeInstanceOf(UnavailableError);
    expect(queue.messages).toHaveLength(0);
  });
});
