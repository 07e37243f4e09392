/**
 * The notifier's once-only guard: one claim per notification, keyed by case, kind, target (and
 * deadline kind for escalations and reminders), taken before the send and marked sent after it.
 */

/**
 * `claimed`: send it now. `sent`: it went out already, skip it. `held`: another delivery claimed it
 * and has not recorded sending it: retry later, when that claim is finished or its lease has passed.
 */
export type ClaimResult = 'claimed' | 'sent' | 'held';

export interface NotificationClaims {
  /**
   * Claims the right to send the notification under `key`. `claimed` when this caller may send: no
   * claim existed, or an earlier claim is still unsent and is this delivery's own or its lease
   * ended before `now` (its sender died).
   */
  claim(
    key: string,
    notificationId: string,
    now: Date,
    leaseMs: number,
    /**
     * Who claims: the delivery (SQS message id) doing the work. The same delivery may take back its
     * own unsent claim at once, e.g. after the answer to its claim was lost.
     */
    claimant?: string,
  ): Promise<ClaimResult>;
  /** Marks a claimed notification as sent; it is never claimable again. */
  markSent(key: string, at: Date): Promise<void>;
  /** Gives a claim back when the send failed, so the redelivery can send it. */
  release(key: string): Promise<void>;
}
