/**
 * `npm run contacts -- <command>`: who receives each notification target's SMS and e-mail. The
 * officers' numbers and addresses are personal data: they live in the case table (read by the
 * notifier, cached a minute), never in the repository; listings show numbers masked.
 *
 *   set <target> [--phone <number>]… [--email <address>]… [--sms-kinds assignment,escalation]
 *                                     replaces the target's contacts
 *   add <target> [--phone …]… [--email …]…       adds to them
 *   remove <target> [--phone …]… [--email …]…    removes those, or the whole target without options
 *   list                                          every target, numbers masked
 *   sync-topics --env <name>                      SNS e-mail subscriptions of each target's topic
 *                                                 = its e-mail addresses (e-mail channel `topics`)
 *   deliveries <caseId>                           every SMS of the case's notifications: status
 *                                                 (accepted, pending, delivered, failed, unconfirmed)
 *
 * <target>: bureau:<area>, partner:<dept>, town:<area>, brigade (and the targets sections 7-10
 * add: leader:<district>, leadership, superior). Numbers: 11-digit mainland mobiles or E.164.
 * The table is --table or TABLE_NAME; `--local` targets the running `npm start` (infra/ops/target.ts).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { StoredContacts } from '../../shared/adapters/dynamo-contacts.js';
import {
  ContactError,
  checkTarget,
  maskPhone,
  normalizeEmail,
  normalizePhone,
} from '../../shared/domain/contacts.js';
import { SMS_KINDS } from '../../shared/domain/sms-templates.js';
import { type OpsTarget, resolveOpsTarget, TargetError } from './target.js';

export class UsageError extends Error {}

/** What the command needs of the contacts table (DynamoContactDirectory). */
export interface ContactsStore {
  get(target: string): Promise<StoredContacts | undefined>;
  put(contacts: StoredContacts): Promise<void>;
  remove(target: string): Promise<void>;
  list(): Promise<StoredContacts[]>;
}

/** What sync-topics needs of SNS: the topics' e-mail subscriptions. */
export interface TopicSubscriptions {
  /** Topic ARNs by name, for the names given (missing ones left out). */
  topicArns(names: readonly string[]): Promise<Map<string, string>>;
  /** E-mail endpoints subscribed to a topic, with their subscription ARN (`PendingConfirmation` too). */
  emailSubscriptions(topicArn: string): Promise<Array<{ endpoint: string; subscriptionArn: string }>>;
  subscribe(topicArn: string, email: string): Promise<void>;
  unsubscribe(subscriptionArn: string): Promise<void>;
}

export interface ContactsCliDeps {
  store: ContactsStore;
  /** The SMS records (DynamoSmsDeliveries), for `deliveries`. */
  deliveries?: { listForCase(caseId: string): Promise<Array<Record<string, unknown>>> };
  topics?: TopicSubscriptions;
  now?: () => Date;
  out?: (line: string) => void;
}

export const USAGE = `usage: npm run contacts -- set <target> [--phone <number>]... [--email <address>]... [--sms-kinds <kind,kind>]
       npm run contacts -- add <target> [--phone <number>]... [--email <address>]...
       npm run contacts -- remove <target> [--phone <number>]... [--email <address>]...
       npm run contacts -- list
       npm run contacts -- sync-topics --env <name>
       npm run contacts -- deliveries <caseId>
options: --table <name> (default: TABLE_NAME), --local (the running npm start)`;

/** The SNS topic of a target in an environment, as the stack names it. */
export const topicNameOf = (envName: string, target: string) =>
  `landline-${envName}-${target.replace(':', '-')}`;

const unique = <T>(values: readonly T[]) => [...new Set(values)];

export async function runContactsCommand(argv: string[], deps: ContactsCliDeps): Promise<void> {
  const out = deps.out ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      phone: { type: 'string', multiple: true },
      email: { type: 'string', multiple: true },
      'sms-kinds': { type: 'string' },
      env: { type: 'string' },
      table: { type: 'string' },
      local: { type: 'boolean' },
    },
  });
  const [command, targetArg, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra.join(' ')}`);
  const parse = () => {
    try {
      return {
        phones: (values.phone ?? []).map(normalizePhone),
        emails: (values.email ?? []).map(normalizeEmail),
        smsKinds: values['sms-kinds']
          ?.split(',')
          .map((kind) => kind.trim())
          .filter(Boolean),
      };
    } catch (error) {
      if (error instanceof ContactError) throw new UsageError(error.message);
      throw error;
    }
  };
  const targetOf = () => {
    if (!targetArg) throw new UsageError(`${command} needs a target`);
    try {
      return checkTarget(targetArg);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  };
  const describe = (contacts: StoredContacts) =>
    [
      contacts.target.padEnd(24),
      `phones ${contacts.phones.map(maskPhone).join(', ') || '-'}`,
      `e-mails ${contacts.emails.join(', ') || '-'}`,
      contacts.smsKinds ? `SMS for ${contacts.smsKinds.join(', ')}` : 'SMS for every kind',
    ].join('  ');

  switch (command) {
    case 'set':
    case 'add': {
      const target = targetOf();
      const given = parse();
      const unknownKinds = (given.smsKinds ?? []).filter((kind) => !(SMS_KINDS as string[]).includes(kind));
      if (unknownKinds.length > 0)
        throw new UsageError(`unknown notification kind(s): ${unknownKinds.join(', ')}`);
      const before = command === 'add' ? await deps.store.get(target) : undefined;
      const contacts: StoredContacts = {
        target,
        phones: unique([...(before?.phones ?? []), ...given.phones]),
        emails: unique([...(before?.emails ?? []), ...given.emails]),
        ...((given.smsKinds ?? before?.smsKinds) ? { smsKinds: given.smsKinds ?? before?.smsKinds } : {}),
        updatedAt: now().toISOString(),
      };
      if (contacts.phones.length + contacts.emails.length === 0) {
        throw new UsageError(
          `${command} needs at least one --phone or --email (remove <target> clears a target)`,
        );
      }
      await deps.store.put(contacts);
      out(describe(contacts));
      out('notifiers use it within a minute');
      return;
    }
    case 'remove': {
      const target = targetOf();
      const given = parse();
      if (given.phones.length + given.emails.length === 0) {
        await deps.store.remove(target);
        out(`removed every contact of ${target}`);
        return;
      }
      const before = await deps.store.get(target);
      if (!before) throw new UsageError(`${target} has no contacts`);
      const contacts: StoredContacts = {
        ...before,
        phones: before.phones.filter((phone) => !given.phones.includes(phone)),
        emails: before.emails.filter((email) => !given.emails.includes(email)),
        updatedAt: now().toISOString(),
      };
      await deps.store.put(contacts);
      out(describe(contacts));
      return;
    }
    case 'list': {
      const all = await deps.store.list();
      if (all.length === 0) out('no contacts in the table');
      for (const contacts of all) out(describe(contacts));
      return;
    }
    case 'sync-topics': {
      if (!values.env)
        throw new UsageError('sync-topics needs --env (the topics are landline-<env>-<target>)');
      if (!deps.topics) throw new UsageError('sync-topics needs SNS');
      await syncTopics(values.env, deps.store, deps.topics, out);
      return;
    }
    case 'deliveries': {
      if (!targetArg) throw new UsageError('deliveries needs a case id');
      if (!deps.deliveries) throw new UsageError('deliveries needs the table');
      const all = await deps.deliveries.listForCase(targetArg);
      if (all.length === 0) out(`no SMS recorded for ${targetArg}`);
      for (const sms of all) {
        out(
          [
            String(sms.sentAt ?? '-'),
            String(sms.kind ?? '-').padEnd(18),
            String(sms.target ?? '-').padEnd(22),
            String(sms.smsPhone ?? '-'),
            String(sms.smsStatus).padEnd(11),
            String(sms.smsCode ?? ''),
            sms.receiptAt ? `receipt ${sms.receiptAt}` : '',
          ]
            .join('  ')
            .trimEnd(),
        );
      }
      return;
    }
    default:
      throw new UsageError(command ? `unknown command: ${command}` : 'a command is required');
  }
}

/**
 * Makes each target topic's e-mail subscriptions the target's addresses: subscribes the new ones
 * (SNS mails each a confirmation link, which its owner must follow) and unsubscribes the others.
 * Targets without a topic (added by later features without one) are reported, not created.
 */
async function syncTopics(
  envName: string,
  store: ContactsStore,
  topics: TopicSubscriptions,
  out: (line: string) => void,
): Promise<void> {
  const contacts = await store.list();
  const names = contacts.map((c) => topicNameOf(envName, c.target));
  const arns = await topics.topicArns(names);
  for (const entry of contacts) {
    const arn = arns.get(topicNameOf(envName, entry.target));
    if (!arn) {
      out(
        `${entry.target}: no topic ${topicNameOf(envName, entry.target)} in this account and region; skipped`,
      );
      continue;
    }
    const current = await topics.emailSubscriptions(arn);
    const wanted = new Set(entry.emails.map((email) => email.toLowerCase()));
    const have = new Set(current.map((s) => s.endpoint.toLowerCase()));
    for (const email of entry.emails.filter((e) => !have.has(e.toLowerCase()))) {
      await topics.subscribe(arn, email);
      out(`${entry.target}: subscribed ${email} (to confirm from the mail SNS sends)`);
    }
    for (const subscription of current.filter((s) => !wanted.has(s.endpoint.toLowerCase()))) {
      if (subscription.subscriptionArn.startsWith('arn:')) {
        await topics.unsubscribe(subscription.subscriptionArn);
        out(`${entry.target}: unsubscribed ${subscription.endpoint}`);
      } else {
        out(
          `${entry.target}: ${subscription.endpoint} is still pending confirmation; SNS removes it after 3 days`,
        );
      }
    }
  }
}

/** TopicSubscriptions over the SNS API (loaded only for sync-topics). */
export async function snsTopicSubscriptions(): Promise<TopicSubscriptions> {
  const sns = await import('@aws-sdk/client-sns');
  const client = new sns.SNSClient({});
  return {
    async topicArns(names) {
      const wanted = new Set(names);
      const found = new Map<string, string>();
      for await (const page of sns.paginateListTopics({ client }, {})) {
        for (const topic of page.Topics ?? []) {
          const name = topic.TopicArn?.split(':').pop();
          if (name && topic.TopicArn && wanted.has(name)) found.set(name, topic.TopicArn);
        }
      }
      return found;
    },
    async emailSubscriptions(topicArn) {
      const all: Array<{ endpoint: string; subscriptionArn: string }> = [];
      for await (const page of sns.paginateListSubscriptionsByTopic({ client }, { TopicArn: topicArn })) {
        for (const s of page.Subscriptions ?? []) {
          if (s.Protocol === 'email' && s.Endpoint && s.SubscriptionArn) {
            all.push({ endpoint: s.Endpoint, subscriptionArn: s.SubscriptionArn });
          }
        }
      }
      return all;
    },
    async subscribe(topicArn, email) {
      await client.send(new sns.SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: email }));
    },
    async unsubscribe(subscriptionArn) {
      await client.send(new sns.UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    },
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const tableFlag = argv.indexOf('--table');
  const table = tableFlag >= 0 ? argv[tableFlag + 1] : undefined;
  let target: OpsTarget;
  try {
    target = await resolveOpsTarget({ local: argv.includes('--local'), ...(table ? { table } : {}) });
  } catch (error) {
    if (error instanceof TargetError) throw new UsageError(error.message);
    throw error;
  }
  console.error(`contacts: target ${target.description}`);
  // Imported only now: the client reads the endpoint and credentials the target has just set.
  const { dynamoDocumentClient } = await import('../../shared/adapters/clients/dynamodb.js');
  const { DynamoContactDirectory } = await import('../../shared/adapters/dynamo-contacts.js');
  const { DynamoSmsDeliveries } = await import('../../shared/adapters/dynamo-sms-deliveries.js');
  await runContactsCommand(argv, {
    store: new DynamoContactDirectory(dynamoDocumentClient, target.tableName),
    deliveries: new DynamoSmsDeliveries(dynamoDocumentClient, target.tableName),
    ...(argv.includes('sync-topics') ? { topics: await snsTopicSubscriptions() } : {}),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n${USAGE}`);
    else console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
