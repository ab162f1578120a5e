/**
 * What a Cucumber scenario tells its Allure result while it runs: attachments with a name and a
 * file extension of their own (a Cucumber attachment's name doubles as its file name, so
 * `POST /jwks.json -> 200` would end in `.json -> 200`), its description and labels, parameters.
 * These are allure-js-commons runtime messages, sent as one Cucumber attachment of the media type
 * allure-cucumberjs reads them from (what its own runtime does), through the scenario's World.
 *
 * allure-cucumberjs applies a message to what is running when it is sent: a step's attachments
 * go into that step; a Before hook's labels and parameters reach the test, its description does
 * not; an After hook's metadata is dropped. So descriptions and labels are sent from a step (an
 * AfterStep hook), parameters may come from a Before hook.
 *
 * @module
 */
import type { Label, Parameter } from 'allure-js-commons';
import type { RuntimeMessage } from 'allure-js-commons/sdk';
import { ALLURE_RUNTIME_MESSAGE_CONTENT_TYPE } from 'allure-js-commons/sdk/reporter';
import type { ReportAttachment } from './exchange-attachment.js';

/** The media type of allure-js-commons runtime messages in a Cucumber attachment. */
export const ALLURE_MESSAGE_MEDIA_TYPE: string = ALLURE_RUNTIME_MESSAGE_CONTENT_TYPE;

/** What sends a Cucumber attachment: the World's `attach`. */
export type Attach = (data: string, mediaType: string) => void | Promise<void>;

/** The message attaching `attachment`, wrapped in a step of its name (how Allure lists attachments of a Cucumber step). */
export function attachmentMessage(attachment: ReportAttachment): RuntimeMessage {
  return {
    type: 'attachment_content',
    data: {
      name: attachment.name,
      content: Buffer.from(attachment.content, 'utf8').toString('base64'),
      encoding: 'base64',
      contentType: attachment.contentType,
      fileExtension: attachment.fileExtension,
      wrapInStep: true,
      timestamp: attachment.timestamp ?? Date.now(),
    },
  };
}

/** The message setting the test's description, labels and parameters. */
export function metadataMessage(metadata: { description?: string | undefined; labels?: readonly Label[]; parameters?: readonly Parameter[] }): RuntimeMessage {
  return {
    type: 'metadata',
    data: {
      ...(metadata.description === undefined ? {} : { description: metadata.description }),
      ...(metadata.labels && metadata.labels.length > 0 ? { labels: [...metadata.labels] } : {}),
      ...(metadata.parameters && metadata.parameters.length > 0 ? { parameters: [...metadata.parameters] } : {}),
    },
  };
}

/** Sends messages to the scenario's Allure result, all in one Cucumber attachment. */
export async function sendToAllure(attach: Attach, messages: readonly RuntimeMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await attach(JSON.stringify(messages), ALLURE_MESSAGE_MEDIA_TYPE);
}
