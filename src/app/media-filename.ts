const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': '.pdf',
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'text/plain': '.txt',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'video/mp4': '.mp4',
  'video/3gpp': '.3gp',
  'audio/ogg': '.ogg',
  'audio/mpeg': '.mp3',
  'audio/aac': '.aac',
  'audio/amr': '.amr',
  'audio/mp4': '.m4a',
};

/**
 * The filename the context lists: the sender's own (WhatsApp documents carry one), else `<stem><extension of the
 * type>` (images, voice notes and Twilio media have none). Control characters and paths are not kept.
 */
export function mediaFilename(given: string | undefined, stem: string, contentType: string): string {
  const cleaned = [...(given ?? '')]
    .filter((char) => char >= ' ' && char !== '\u007f')
    .join('')
    .split(/[\\/]/)
    .pop()
    ?.trim()
    .slice(0, 255);
  if (cleaned) return cleaned;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return `${stem}${EXTENSIONS[type] ?? ''}`;
}
