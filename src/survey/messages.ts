/**
 * The words `rapport run` itself shows the respondent (the instrument supplies items and options).
 * English and Spanish; any other language falls back to English for these few interface strings.
 */

export interface Messages {
  itemOf(n: number, total: number): string;
  pressEnterToBegin: string;
  /** Key help under an item. `n` = number of options. */
  keysFancy(n: number, canBack: boolean): string;
  keysPlain(n: number, canBack: boolean): string;
  /** Plain-mode question line. */
  answerPrompt(n: number, canBack: boolean): string;
  /** The highlighted option: its number and label (label undefined: the digits name no option). */
  typed(digits: string, label: string | undefined): string;
  /** One line of the review list: item number and the answer's label. */
  reviewLine(n: number, answer: string): string;
  skippedAnswer: string;
  hiddenAnswer: string;
  yourAnswers: string;
  /** Kiosk: the staff PIN prompt, and after a wrong PIN (tries left). */
  staffPin: string;
  wrongPin(left: number): string;
  /** --ask-id: the typed id does not fit --id-pattern. */
  idInvalid(id: string): string;
  idEmpty: string;
  /** Number and text items: what to type, and why a typed answer is refused. */
  numberPrompt(min: number, max: number): string;
  textPrompt(max: number): string;
  openKeys: string;
  notANumber(min: number, max: number): string;
  tooLong(max: number): string;
  /** The language screen's question, in this language. */
  chooseLanguage: string;
  /** Kiosk closed by staff (to stderr). */
  kioskClosed: string;
  notAnOption(text: string, n: number): string;
  firstItem: string;
  yourAnswer: string;
  resumed(n: number, total: number): string;
  resumedReview: string;
  answered(n: number, total: number): string;
  notAnswered(list: string): string;
  submit: string;
  goBack: string;
  submitQuestion: string;
  reviewKeysFancy: string;
  reviewPromptPlain: string;
  thanks: string;
  yourScores: string;
  noScore: string;
  pressEnterToFinish: string;
  nextRespondent: string;
}

const en: Messages = {
  itemOf: (n, total) => `Item ${n} of ${total}`,
  pressEnterToBegin: 'Press Enter to begin.',
  keysFancy: (n, canBack) =>
    `↑↓ move · 1–${n} then Enter to choose · s skip` + (canBack ? ' · b or Backspace back' : ''),
  keysPlain: (n, canBack) => `Type a number from 1 to ${n} and press Enter. Type s to skip` + (canBack ? ', b to go back.' : '.'),
  answerPrompt: (n, canBack) => `Answer (1-${n}, s skip${canBack ? ', b back' : ''}): `,
  typed: (d, label) => (label === undefined ? `Your choice: ${d}` : `Your choice: ${d}. ${label}  (press Enter)`),
  reviewLine: (n, a) => `  ${n}. ${a}`,
  skippedAnswer: '(skipped)',
  hiddenAnswer: '(not asked)',
  yourAnswers: 'Your answers:',
  staffPin: 'Staff PIN (staff only; Ctrl-C returns to the survey):',
  wrongPin: (left) => `Wrong PIN (${left} ${left === 1 ? 'try' : 'tries'} left). Staff PIN:`,
  idInvalid: (id) => `"${id}" is not a valid id here; check it and type it again.`,
  idEmpty: 'Please type the id, then press Enter.',
  chooseLanguage: 'Choose your language',
  numberPrompt: (min, max) => `Type a number from ${min} to ${max}, then Enter:`,
  textPrompt: (max) => `Type your answer (at most ${max} characters), then Enter:`,
  openKeys: 'Enter with nothing typed skips this question.',
  notANumber: (min, max) => `Please type a number from ${min} to ${max}.`,
  tooLong: (max) => `Please shorten your answer to at most ${max} characters.`,
  kioskClosed: 'rapport: the kiosk was closed by staff.',
  notAnOption: (text, n) => `"${text}" is not an option here; type a number from 1 to ${n}.`,
  firstItem: 'This is the first item; there is nothing before it.',
  yourAnswer: '(your answer)',
  resumed: (n, total) => `Welcome back: your earlier answers are saved, so we continue at item ${n} of ${total}.`,
  resumedReview: 'Welcome back: your earlier answers are saved and every item has been seen.',
  answered: (n, total) => `You answered ${n} of ${total}.`,
  notAnswered: (list) => `Not answered: ${list}.`,
  submit: 'Submit my answers',
  goBack: 'Go back to change an answer',
  submitQuestion: 'Submit?',
  reviewKeysFancy: '↑↓ move · Enter to choose · b or Backspace back',
  reviewPromptPlain: 'Type 1 to submit, 2 or b to go back: ',
  thanks: 'Thank you! Your answers have been saved.',
  yourScores: 'Your scores:',
  noScore: 'no score (too few answers)',
  pressEnterToFinish: 'Press Enter to finish.',
  nextRespondent: 'Next respondent: press Enter',
};

const es: Messages = {
  itemOf: (n, total) => `Pregunta ${n} de ${total}`,
  pressEnterToBegin: 'Pulse Enter para empezar.',
  keysFancy: (n, canBack) =>
    `↑↓ mover · 1–${n} y Enter para elegir · s omitir` + (canBack ? ' · b o Retroceso volver' : ''),
  keysPlain: (n, canBack) => `Escriba un número del 1 al ${n} y pulse Enter. Escriba s para omitir` + (canBack ? ', b para volver.' : '.'),
  answerPrompt: (n, canBack) => `Respuesta (1-${n}, s omitir${canBack ? ', b volver' : ''}): `,
  typed: (d, label) => (label === undefined ? `Su elección: ${d}` : `Su elección: ${d}. ${label}  (pulse Enter)`),
  reviewLine: (n, a) => `  ${n}. ${a}`,
  skippedAnswer: '(omitida)',
  hiddenAnswer: '(no se preguntó)',
  yourAnswers: 'Sus respuestas:',
  staffPin: 'PIN del personal (solo personal; Ctrl-C vuelve a la encuesta):',
  wrongPin: (left) => `PIN incorrecto (${left} ${left === 1 ? 'intento' : 'intentos'} más). PIN del personal:`,
  idInvalid: (id) => `"${id}" no es un identificador válido aquí; revíselo y escríbalo de nuevo.`,
  idEmpty: 'Escriba el identificador y pulse Enter.',
  chooseLanguage: 'Elija su idioma',
  numberPrompt: (min, max) => `Escriba un número del ${min} al ${max} y pulse Enter:`,
  textPrompt: (max) => `Escriba su respuesta (como máximo ${max} caracteres) y pulse Enter:`,
  openKeys: 'Enter sin escribir nada omite esta pregunta.',
  notANumber: (min, max) => `Escriba un número del ${min} al ${max}.`,
  tooLong: (max) => `Acorte su respuesta a ${max} caracteres como máximo.`,
  kioskClosed: 'rapport: el personal cerró el quiosco.',
  notAnOption: (text, n) => `"${text}" no es una opción; escriba un número del 1 al ${n}.`,
  firstItem: 'Esta es la primera pregunta; no hay ninguna antes.',
  yourAnswer: '(su respuesta)',
  resumed: (n, total) => `Bienvenido(a) de nuevo: sus respuestas anteriores están guardadas; seguimos en la pregunta ${n} de ${total}.`,
  resumedReview: 'Bienvenido(a) de nuevo: sus respuestas anteriores están guardadas y ya vio todas las preguntas.',
  answered: (n, total) => `Respondió ${n} de ${total}.`,
  notAnswered: (list) => `Sin responder: ${list}.`,
  submit: 'Enviar mis respuestas',
  goBack: 'Volver para cambiar una respuesta',
  submitQuestion: '¿Enviar?',
  reviewKeysFancy: '↑↓ mover · Enter para elegir · b o Retroceso volver',
  reviewPromptPlain: 'Escriba 1 para enviar, 2 o b para volver: ',
  thanks: '¡Gracias! Sus respuestas se han guardado.',
  yourScores: 'Sus puntuaciones:',
  noScore: 'sin puntuación (muy pocas respuestas)',
  pressEnterToFinish: 'Pulse Enter para terminar.',
  nextRespondent: 'Siguiente persona: pulse Enter',
};

const table: Record<string, Messages> = { en, es };

export function messagesFor(lang: string): Messages {
  const base = lang.split('-')[0];
  return Object.hasOwn(table, lang) ? table[lang] : Object.hasOwn(table, base) ? table[base] : en;
}

/** Each language's name in itself, for the language screen (the code when it is not listed here). */
const NATIVE_NAMES: Record<string, string> = {
  en: 'English', es: 'Español', fr: 'Français', de: 'Deutsch', pt: 'Português', it: 'Italiano', nl: 'Nederlands',
  pl: 'Polski', ru: 'Русский', uk: 'Українська', ar: 'العربية', fa: 'فارسی', tr: 'Türkçe', vi: 'Tiếng Việt',
  zh: '中文', ja: '日本語', ko: '한국어', hi: 'हिन्दी', bn: 'বাংলা', ht: 'Kreyòl ayisyen', tl: 'Tagalog', so: 'Soomaali',
};

export function nativeLanguageName(code: string): string {
  const base = code.split('-')[0];
  return Object.hasOwn(NATIVE_NAMES, code) ? NATIVE_NAMES[code] : Object.hasOwn(NATIVE_NAMES, base) ? NATIVE_NAMES[base] : code;
}
