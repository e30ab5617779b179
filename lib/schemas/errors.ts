/** What the user should do about each class of failure. Client-safe: shown beside the message. */
export const ERROR_ADVICE: Record<string, string> = {
  auth: 'Check the API key in .env: the provider refused it, or it is missing.',
  insufficient_funds: 'The provider account is out of credit: top it up, then retry.',
  rate_limited: 'The provider is rate-limiting requests: try again in a minute.',
  bad_input: 'The request was refused: change the instruction, references or parameters.',
  content_policy: 'Blocked by the provider’s content policy: change the prompt or the references.',
  provider_error: 'The provider failed on its side: try again later, or pick another target.',
  timeout: 'The provider took too long: try again, or pick another target.',
  interrupted: 'The server stopped while this was running: retry it.',
  cancelled: 'Retry to run it again.',
};
