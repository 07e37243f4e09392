/**
 * The officers each notification target reaches, in the one table: pk=CONTACTS#<target>,
 * sk=CONTACTS, `data` {phones, emails, smsKinds?, updatedAt}. Written by `npm run contacts` (later
 * the console); read by the notifier, which keeps what it read for CONTACTS_CACHE_MS per execution
 * environment (a target without contacts too), so a change reaches every notifier within a minute.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
} from '@aws-sdk/lib-dynamodb';
import type { Contacts } from '../domain/contacts.js';
import type { ContactDirectory } from '../ports/sms.js';

export const CONTACTS_CACHE_MS = 60_000;

export const contactsKey = (target: string) => ({ pk: `CONTACTS#${target}`, sk: 'CONTACTS' });

export interface StoredContacts extends Contacts {
  readonly target: string;
  readonly updatedAt: string;
}

export class DynamoContactDirectory implements ContactDirectory {
  private readonly cache = new Map<string, { until: number; contacts: Contacts | undefined }>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async contactsOf(target: string): Promise<Contacts | undefined> {
    const cached = this.cache.get(target);
    if (cached && cached.until > this.now()) return cached.contacts;
    const contacts = await this.get(target);
    this.cache.set(target, { until: this.now() + CONTACTS_CACHE_MS, contacts });
    return contacts;
  }

  async get(target: string): Promise<StoredContacts | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: contactsKey(target) }),
    );
    return result.Item?.data as StoredContacts | undefined;
  }

  async put(contacts: StoredContacts): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...contactsKey(contacts.target), type: 'contacts', data: contacts },
      }),
    );
  }

  async remove(target: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: contactsKey(target) }));
  }

  /** An operator's listing: a filtered scan, fine for the few dozen targets there are. */
  async list(): Promise<StoredContacts[]> {
    const all: StoredContacts[] = [];
    const pages = paginateScan(
      { client: this.client },
      {
        TableName: this.tableName,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': 'CONTACTS#' },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) all.push(item.data as StoredContacts);
    }
    return all.sort((a, b) => a.target.localeCompare(b.target));
  }
}
