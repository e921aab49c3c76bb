/**
 * Citizens' attachments forwarded to staff. A file a mail client or browser would render as a page
 * (HTML, XHTML, SVG, scripts) can run script or carry phishing forms when staff open it; it is
 * forwarded as plain text with `.txt` appended, so staff can still read what was sent.
 */

const ACTIVE_TYPES =
  /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/javascript|application\/(x-)?javascript|application\/ecmascript|text\/ecmascript|application\/hta|text\/x-component|multipart\/related|message\/partial)$/i;
const ACTIVE_EXTENSIONS = /\.(html?|xht(ml)?|shtml|svgz?|xml|xsl|js|mjs|hta|htc|mht(ml)?|url|website|vbs|wsf|jse)$/i;

export interface ForwardedAttachment {
  filename: string;
  contentType: string;
  path: string;
}

export function neutralizeAttachment(attachment: ForwardedAttachment): ForwardedAttachment {
  const type = attachment.contentType.split(';')[0]!.trim();
  if (!ACTIVE_TYPES.test(type) && !ACTIVE_EXTENSIONS.test(attachment.filename)) return attachment;
  return { ...attachment, filename: `${attachment.filename}.txt`, contentType: 'text/plain' };
}
