/**
 * The ports of contract section 9: the feedback deliveries the case store records with each case
 * change, the queue the sender works from, the sources' endpoints, the one HTTP request per attempt,
 * and the follow-ups intake queues for the router.
 */
import type {
  AttemptResult,
  DeliveryStatus,
  EndpointDisabled,
  FeedbackDelivery,
} from '../domain/feedback.js';
import type { FollowUpMessage } from '../domain/follow-ups.js';
import type { Source, TipRecord } from '../domain/model.js';

export interface DeliveryFilter {
  source?: Source;
  status?: DeliveryStatus;
}

export interface DeliveryPage {
  items: FeedbackDelivery[];
  cursor: string | null;
}

/** The deliveries as the case store recorded them, and the state of each source's endpoint. */
export interface DeliveryStore {
  getDelivery(deliveryId: string): Promise<FeedbackDelivery | undefined>;
  /** Replaces the delivery if its stored version is still `expectedVersion`; false otherwise. */
  putDelivery(updated: FeedbackDelivery, expectedVersion: number): Promise<boolean>;
  /** Pending deliveries whose relay instant has passed (a sparse index, never a scan), oldest first. */
  dueDeliveries(now: Date, limit: number): Promise<string[]>;
  /** Newest first; without a source, every source's in turn. */
  listDeliveries(filter: DeliveryFilter, limit: number, cursor?: string): Promise<DeliveryPage>;
  /** The source's endpoint, if it was disabled after a 410. */
  endpointDisabled(source: Source): Promise<EndpointDisabled | undefined>;
  /**
   * Disables the source's endpoint unless it is disabled already, and returns the disabling in force
   * (this one or the earlier one): concurrent 410s agree on one, so the brigade is told once.
   */
  disableEndpoint(incident: EndpointDisabled): Promise<EndpointDisabled>;
  enableEndpoint(source: Source): Promise<void>;
}

/** The queue the sender consumes: one message per attempt to make, by delivery id. */
export interface FeedbackQueue {
  /** Sends `deliveryId` now or after `delaySeconds` (at most 900). */
  send(deliveryId: string, delaySeconds?: number): Promise<void>;
}

/** A source's feedback endpoint: where to send and the `whsec_` secret(s) to sign with. */
export interface FeedbackEndpoint {
  url: string;
  /** The first signs; several are all used during a rotation (Standard Webhooks lists each signature). */
  secrets: readonly string[];
}

/** The configured endpoint of a source, or undefined when it has none (that source gets no deliveries). */
export type FeedbackEndpoints = (source: Source) => Promise<FeedbackEndpoint | undefined>;

/**
 * One signed Standard Webhooks request; never throws for an HTTP or network failure, it reports it.
 * Signed at the moment of sending, by the wall clock, like any request signature: `webhook-timestamp`
 * is what the receiver checks against its own clock.
 */
export interface WebhookTransport {
  deliver(request: {
    endpoint: FeedbackEndpoint;
    webhookId: string;
    body: string;
    timeoutMs: number;
  }): Promise<AttemptResult>;
}

/** What intake needs to tell a follow-up about a known tip from one about an unknown id. */
export interface TipLookup {
  getTip(tipId: string): Promise<TipRecord | undefined>;
}

/** Follow-ups travel on the intake queue, applied by the router in line with the tips. */
export interface FollowUpQueue {
  enqueueFollowUp(message: FollowUpMessage): Promise<void>;
}
