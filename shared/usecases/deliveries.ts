/**
 * The brigade's view of the feedback deliveries (contract 9): `GET /v1/deliveries?source=&status=`
 * and `POST /v1/deliveries/{id}/retry`, which sends a settled delivery once more (the relay queues
 * it within its next run). Nobody else may see them: they name every source's tips and cases.
 */
import { type FeedbackDelivery, manualRetry } from '../domain/feedback.js';
import type { Principal } from '../domain/model.js';
import type { DeliveryFilter, DeliveryStore } from '../ports/feedback.js';
import type { Clock } from '../ports/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from './errors.js';

export interface DeliveryDeps {
  deliveries: DeliveryStore;
  clock: Clock;
}

/** A delivery as the API shows it: the record without its locking and bookkeeping fields. */
export type DeliveryView = Omit<FeedbackDelivery, 'version' | 'body' | 'inFlight' | 'relayAt' | 'manual'> & {
  /** The `webhook-id` every attempt carried. */
  webhookId: string;
};

export const DELIVERY_NOT_FOUND = '没有此编号的推送记录。';

export function toDeliveryView(delivery: FeedbackDelivery): DeliveryView {
  const {
    version: _version,
    body: _body,
    inFlight: _inFlight,
    relayAt: _relayAt,
    manual: _manual,
    ...rest
  } = delivery;
  const { deliveryId, ...fields } = rest;
  return { deliveryId, webhookId: deliveryId, ...fields };
}

function brigadeOnly(principal: Principal): void {
  if (principal.kind !== 'brigade') throw new ForbiddenError('只有监察大队可以查看推送记录。');
}

export async function listDeliveries(
  principal: Principal,
  query: DeliveryFilter & { limit: number; cursor?: string },
  deps: DeliveryDeps,
): Promise<{ items: DeliveryView[]; cursor: string | null }> {
  brigadeOnly(principal);
  const { limit, cursor, ...filter } = query;
  const page = await deps.deliveries.listDeliveries(filter, limit, cursor);
  return { items: page.items.map(toDeliveryView), cursor: page.cursor };
}

export async function retryDelivery(
  principal: Principal,
  deliveryId: string,
  deps: DeliveryDeps,
): Promise<DeliveryView> {
  brigadeOnly(principal);
  const delivery = await deps.deliveries.getDelivery(deliveryId);
  if (!delivery) throw new NotFoundError(DELIVERY_NOT_FOUND);
  if (delivery.status === 'pending') throw new ConflictError('该推送仍在按计划重试中，请待其结束后再重推。');
  const retried = manualRetry(delivery, deps.clock.now().toISOString());
  if (!(await deps.deliveries.putDelivery(retried, delivery.version)))
    throw new ConflictError('该推送记录已被他人同时修改，请刷新后重试。');
  return toDeliveryView(retried);
}
