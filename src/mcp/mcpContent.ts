/**
 * A `tools/call` result as the model reads it: text and images become `tool_result` blocks; what the
 * Messages API cannot carry in a tool result (resources, resource links, audio, an image of another
 * type) becomes a short text note, so the model knows it was there.
 */
import type { ImageBlock, TextBlock } from '../api/types';
import { checkBase64Image, imageLeftOutNote } from '../shared/imageCheck';
import type { McpToolCallResult } from '../tools/mcpToolSource';

/** The `content` of a CallToolResult, as the SDK gives it (any shape: the server is not trusted). */
export function toolCallResult(result: { content?: unknown; isError?: unknown; structuredContent?: unknown }): McpToolCallResult {
  const items = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  const content = items.map(contentBlock);
  // A server may answer only with structured content (no text): the model gets it as JSON.
  if (content.length === 0 && result.structuredContent !== undefined) content.push(text(JSON.stringify(result.structuredContent)));
  if (content.length === 0) content.push(text('(the tool returned nothing)'));
  return { content, isError: result.isError === true };
}

function contentBlock(item: unknown): TextBlock | ImageBlock {
  const block = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  switch (block.type) {
    case 'text':
      return text(typeof block.text === 'string' ? block.text : '');
    case 'image': {
      // A server's image is checked like any other: one the API would refuse would fail the whole turn.
      const checked = checkBase64Image(typeof block.data === 'string' ? block.data : '', typeof block.mimeType === 'string' ? block.mimeType : '');
      if (!checked.ok) return text(imageLeftOutNote(`An image of type ${String(block.mimeType)} from the tool`, checked.reason));
      return { type: 'image', source: { type: 'base64', media_type: checked.info.mediaType, data: block.data as string } };
    }
    case 'audio':
      return text(`[audio (${String(block.mimeType)}), which cannot be passed to the model]`);
    case 'resource_link':
      return text(`[a resource link: ${String(block.name ?? block.uri)} <${String(block.uri)}>]`);
    case 'resource': {
      const resource = (typeof block.resource === 'object' && block.resource !== null ? block.resource : {}) as Record<string, unknown>;
      return typeof resource.text === 'string'
        ? text(`[resource <${String(resource.uri)}>]\n${resource.text}`)
        : text(`[a binary resource <${String(resource.uri)}>, which cannot be passed to the model]`);
    }
    default:
      return text(`[content of type ${JSON.stringify(block.type)}, which cannot be passed to the model]`);
  }
}

function text(value: string): TextBlock {
  return { type: 'text', text: value };
}
