// The demo's own words in English and Spanish, and the top bar's language switch. The switch sets
// `lang` on the document element; the <oauth-connect> elements take their words from it
// themselves (the library's messages table), so nothing here speaks for them.
//
// English is written in the HTML; an element with `data-i18n="key"` gets PAGE_ES[key] (trusted,
// static markup) in Spanish and its original markup back in English. Words made by the scripts
// come from t().

export type Lang = 'en' | 'es';

const STORAGE_KEY = 'kestrel-demo-lang';

function saved(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'es' ? 'es' : 'en';
  } catch {
    return 'en';
  }
}

let lang: Lang = saved();
const listeners = new Set<(lang: Lang) => void>();

export const currentLang = (): Lang => lang;

/** The words the demo's scripts put on screen. */
interface Messages {
  signedIn: string;
  signedOut: string;
  signIn: string;
  signOut: string;
  mode: string;
  modes: Record<'popup' | 'polling' | 'redirect' | 'server', { label: string; note: string }>;
  bwellNotes: Record<'popup' | 'polling' | 'redirect', string>;
  demoSignIn: string;
  connectTo: (name: string) => string;
  connected: string;
  account: string;
  since: (at: Date) => string;
  facts: Record<'integration' | 'connection', string>;
  who: Record<'in' | 'out' | 'back' | 'store' | 'answer' | 'error', string>;
  signinWhy: Record<string, string>;
  signinDefault: string;
  signinWrong: string;
  signinFailed: string;
  language: string;
}

const EN: Messages = {
  signedIn: 'Signed in',
  signedOut: 'Signed out',
  signIn: 'Sign in',
  signOut: 'Sign out',
  mode: 'Mode',
  modes: {
    popup: {
      label: 'Popup',
      note: 'A popup; the callback page posts the answer back (over a BroadcastChannel when COOP severed the popup).',
    },
    polling: {
      label: 'Polling',
      note: 'A popup; this page reads its URL once it is back on this origin — for mobile webviews.',
    },
    redirect: {
      label: 'Redirect',
      note: 'This tab goes to the provider and comes back; the element finishes the flow on return.',
    },
    server: {
      label: 'Server',
      note: 'createServerFlow: the provider redirects to your server, which redeems the code; the element long-polls the outcome. No code reaches this page.',
    },
  },
  bwellNotes: {
    popup: "A popup; b.well's hosted completion page posts status-success to this page.",
    polling:
      "A popup; b.well's custom redirect brings ?status_code= to this origin, where this page reads the popup's URL — for mobile webviews.",
    redirect:
      'This tab goes to b.well and comes back with ?status_code=; the element finishes the flow on return.',
  },
  demoSignIn: 'Demo sign-in: ',
  connectTo: (name) => `Connect ${name}`,
  connected: 'Connected',
  account: 'account',
  since: (at) => `since ${clock(at)}`,
  facts: { integration: 'integration', connection: 'connection' },
  who: {
    in: 'browser → your backend',
    out: 'your backend → provider',
    back: 'provider → your backend',
    store: 'your backend kept',
    answer: 'your backend → browser',
    error: 'error',
  },
  signinWhy: {
    '/hint-activate.html': 'Sign in to finish activating Hint: your activation waits in this tab.',
    '/hcss-connect.html': 'Sign in to finish connecting HCSS from the HCSS Marketplace.',
  },
  signinDefault: 'Sign in to continue.',
  signinWrong: 'Wrong email or password.',
  signinFailed: 'The sign-in did not go through.',
  language: 'Language',
};

const ES: Messages = {
  signedIn: 'Sesión iniciada',
  signedOut: 'Sin sesión',
  signIn: 'Iniciar sesión',
  signOut: 'Cerrar sesión',
  mode: 'Modo',
  modes: {
    popup: {
      label: 'Ventana',
      note: 'Una ventana emergente; la página de callback devuelve la respuesta a esta página (por un BroadcastChannel si COOP cortó el vínculo con la ventana).',
    },
    polling: {
      label: 'Sondeo',
      note: 'Una ventana emergente; esta página lee su URL en cuanto vuelve a este origen. Pensado para webviews móviles.',
    },
    redirect: {
      label: 'Redirección',
      note: 'Esta pestaña va al proveedor y vuelve; el elemento termina el flujo al regresar.',
    },
    server: {
      label: 'Servidor',
      note: 'createServerFlow: el proveedor redirige a su servidor, que canjea el código, y el elemento consulta el resultado con long polling. Ningún código llega a esta página.',
    },
  },
  bwellNotes: {
    popup:
      'Una ventana emergente; la página de finalización que aloja b.well envía status-success a esta página.',
    polling:
      'Una ventana emergente; la redirección personalizada de b.well trae ?status_code= a este origen, y esta página lee la URL de la ventana. Pensado para webviews móviles.',
    redirect:
      'Esta pestaña va a b.well y vuelve con ?status_code=; el elemento termina el flujo al regresar.',
  },
  demoSignIn: 'Acceso de prueba: ',
  connectTo: (name) => `Conectar ${name}`,
  connected: 'Conectado',
  account: 'cuenta',
  // "desde la 1:05", "desde las 9:30"
  since: (at) => `desde ${at.getHours() % 12 === 1 ? 'la' : 'las'} ${clock(at)}`,
  facts: { integration: 'integración', connection: 'conexión' },
  who: {
    in: 'navegador → su backend',
    out: 'su backend → proveedor',
    back: 'proveedor → su backend',
    store: 'su backend guardó',
    answer: 'su backend → navegador',
    error: 'error',
  },
  signinWhy: {
    '/hint-activate.html':
      'Inicie sesión para terminar de activar Hint: su activación sigue pendiente en esta pestaña.',
    '/hcss-connect.html': 'Inicie sesión para terminar de conectar HCSS desde el HCSS Marketplace.',
  },
  signinDefault: 'Inicie sesión para continuar.',
  signinWrong: 'El correo o la contraseña no son correctos.',
  signinFailed: 'No se pudo iniciar sesión.',
  language: 'Idioma',
};

/** The demo's words in the current language. */
export const t = (): Messages => (lang === 'es' ? ES : EN);

/** A time of day in the current language's format. */
export function clock(at: Date | number = Date.now()): string {
  return new Date(at).toLocaleTimeString(lang === 'es' ? 'es-US' : 'en-US', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/**
 * The backend's record ("what your backend received") speaks English: its titles and labels in
 * Spanish, phrase by phrase (what does not match stays as it came: an HTTP line, a URL).
 */
const RECORD_ES: [RegExp, string][] = [
  [
    /^server flow: the provider sent the user back, with a code$/,
    'flujo de servidor: el proveedor devolvió al usuario, con un código',
  ],
  [
    /^server flow: the provider sent the user back, with an error$/,
    'flujo de servidor: el proveedor devolvió al usuario, con un error',
  ],
  [
    /^server flow: the element gave up \(Cancel\)$/,
    'flujo de servidor: el elemento desistió (cancelación)',
  ],
  [/^server flow: the element's long-poll$/, 'flujo de servidor: el long polling del elemento'],
  [/^server flow: (.+) start$/, 'flujo de servidor: $1, inicio'],
  [/^(.+): the code, to redeem$/, '$1: el código, para canjearlo'],
  [/^(.+): the status, (".*")$/, '$1: el estado, $2'],
  [/^(.+): disconnect$/, '$1: desconexión'],
  [
    /^answered (\d+) \(a page that closes the popup\)$/,
    'respondió $1 (una página que cierra la ventana emergente)',
  ],
  [/^answered (\d+)$/, 'respondió $1'],
  [/^(\d+) from (.+)$/, '$1 de $2'],
  [
    /^storeCredentials: kept the (\S+) connection with (.+)$/,
    'storeCredentials: guardó la conexión de $1 con la cuenta de $2',
  ],
  [/^forgot the (\S+) connection and its tokens$/, 'olvidó la conexión de $1 y sus tokens'],
  [/^nothing to forget$/, 'nada que olvidar'],
];
export function recordText(text: string): string {
  if (lang !== 'es') return text;
  for (const [pattern, spanish] of RECORD_ES) {
    if (pattern.test(text)) return text.replace(pattern, spanish);
  }
  return text;
}

/** The pages' own markup in Spanish, by `data-i18n` key. */
const PAGE_ES: Record<string, string> = {
  // index.html
  'index.title': 'Integraciones · Kestrel — demo de oauth-connect',
  'index.crumb': 'Ajustes › Integraciones',
  'index.h1': 'Integraciones',
  'index.intro':
    'Conecte los servicios que usa su equipo. Cada botón es un <code>&lt;oauth-connect&gt;</code>; cada proveedor es un mock local con origen propio, que inicia <code>npm start</code>; su backend es <code>oauth-connect/server</code>. Ningún código, token ni secreto llega nunca a esta página.',
  'hcss.sub': 'Hojas de horas de HeavyJob para su empresa',
  'hcss.how':
    'Código de autorización + PKCE + state. Su backend guarda el claim <code>CompanyId</code> del token. HCSS sirve sus páginas de inicio de sesión y de consentimiento con <code>Cross-Origin-Opener-Policy</code>: esta página ve la ventana emergente como cerrada, el elemento ofrece volver a abrirla o cancelar, y el flujo termina de todos modos.',
  'hcss.arrive': 'Llegar desde el HCSS Marketplace',
  'hcss.arrive.tip':
    'Conecte Kestrel allí: HCSS redirige a <code>/hcss-connect.html</code>, que comprueba que usted haya iniciado sesión y luego inicia el flujo PKCE por sí sola (<code>autostart</code>), una sola vez. Cierre sesión antes si quiere ver el paso de inicio de sesión.',
  'healthtap.sub': 'Los perfiles de salud de sus miembros',
  'healthtap.how':
    '«Tap-in»: código de autorización; su backend lo canjea con autenticación básica (<code>APP_ID:APP_SECRET</code>) y un cuerpo JSON. Si el usuario hace clic en <em>Deny</em>, vuelve <code>error=access_denied</code> y el elemento falla con <code>cancelled</code>.',
  'healthtap.button': 'Conectar con HealthTap',
  'bwell.sub': 'Historias clínicas de los sistemas de salud de sus miembros',
  'bwell.how':
    'Su backend le pide la URL a <code>getOauthUrl</code>, en la API GraphQL de b.well. En el modo ventana, la página de finalización que aloja b.well envía <code>status-success</code> a este origen; en los modos sondeo y redirección, una URL de redirección personalizada trae de vuelta <code>?status_code=</code>.',
  'hint.sub': 'Los consultorios activan Kestrel desde Hint',
  'hint.how':
    'El administrador de un consultorio hace clic en <em>Integrate</em> en la ficha de su app en Hint; Hint lo envía a su página de activación con <code>?code=</code>, donde el elemento (<code>mode="landing"</code>) se lo pasa a su backend, que llama a <code>POST /api/oauth/tokens</code> con su clave de partner.',
  'hint.idle':
    'Sin conectar. La conexión la inicia el administrador de un consultorio desde Hint, con el botón <em>Integrate</em> de la ficha de su app.',
  'hint.admin': 'Abrir Hint como administrador del consultorio',
  'hint.signedOut': 'Cerrar sesión y abrir Hint',
  'hint.tip':
    'La reconexión (la rotación de credenciales de Hint) también empieza en Hint, otra vez con su botón <em>Integrate</em>; por eso esta tarjeta no tiene botón para reconectar.',
  'hint.break': 'Simular un error de integración',
  'log.title': 'Eventos',
  'log.hint':
    '<code>connected</code>, <code>failed</code> y <code>disconnected</code>, tal como se disparan',
  'log.empty': 'Nada todavía: conecte un proveedor.',
  clear: 'Borrar',
  refresh: 'Actualizar',
  'received.title': 'Lo que recibió su backend',
  'received.empty':
    'Aquí aparece cada petición a <code>/api/oauth</code>, con lo que su backend envió al proveedor y lo que guardó. Los códigos, tokens y secretos se muestran censurados.',
  back: '← Volver a Integraciones',
  // hcss-connect.html
  'arrival.title': 'Conectar HCSS · Kestrel — demo de oauth-connect',
  'arrival.crumb': 'Conectar una integración',
  'arrival.h1': 'Termine de conectar HCSS',
  'arrival.sub': 'La URL de redirección de su app en el HCSS Marketplace: esta página',
  'arrival.how':
    'Usted conectó Kestrel en el HCSS Marketplace. HCSS pide a sus partners que comprueben que haya iniciado sesión y que luego verifiquen la conexión con un flujo de código de autorización + PKCE. Esta página comprueba su sesión de Kestrel (y, si hace falta, antes le pide que inicie sesión); después, el elemento (<code>mode="redirect" autostart</code>) inicia el flujo por sí solo, una sola vez: volver aquí, con respuesta, sin ella o tras un fallo, no lo inicia de nuevo.',
  'arrival.button': 'Verificar con HCSS',
  // hint-activate.html
  'activate.title': 'Activar Hint · Kestrel — demo de oauth-connect',
  'activate.crumb': 'Activar una integración',
  'activate.h1': 'Active Hint InstantOn',
  'activate.sub': 'Su URL de redirección de Hint: esta página',
  'activate.intro':
    'Llegó aquí desde Hint con un código de autorización. Si ya inició sesión en Kestrel, el código va directo a su backend, que lo canjea con su clave de partner y guarda las credenciales del consultorio. Si no, su backend responde 401: el código espera en esta pestaña (10 minutos como máximo) mientras usted inicia sesión, y se envía en cuanto vuelva aquí.',
  'activate.signin': 'Inicie sesión en Kestrel para terminar de activar Hint',
  'activate.signinTip':
    'Su backend respondió <code>401</code>: no ha iniciado sesión en Kestrel. El elemento disparó <code>signin-required</code> y guarda el código en esta pestaña; cuando inicie sesión, esta página se vuelve a cargar y lo envía, una sola vez.',
  'activate.noCode':
    'Aquí no hay ningún código: esta es la página a la que Hint envía al administrador de un consultorio.',
  'activate.noCodeLink': 'Empiece desde la página de integraciones de Hint',
  // signin.html
  'signin.title': 'Iniciar sesión · Kestrel — demo de oauth-connect',
  'signin.crumb': 'Iniciar sesión',
  'signin.h1': 'Inicie sesión en Kestrel',
  'signin.email': 'Correo electrónico',
  'signin.password': 'Contraseña',
  'signin.submit': 'Iniciar sesión',
  'signin.account': 'Cuenta de prueba:',
};

const originals = new WeakMap<Element, string>();

/** Puts the page in `next`: the document's `lang`, the pages' markup, then the scripts' words. */
export function setLang(next: Lang): void {
  lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // storage blocked: the choice lasts until the page changes
  }
  document.documentElement.lang = next;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    if (!originals.has(el)) originals.set(el, el.innerHTML);
    const spanish = PAGE_ES[el.dataset['i18n']!];
    el.innerHTML = next === 'es' && spanish !== undefined ? spanish : originals.get(el)!;
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('.lang button')) {
    button.setAttribute('aria-pressed', String(button.lang === next));
  }
  document.querySelector('.lang')?.setAttribute('aria-label', t().language);
  for (const listener of listeners) listener(next);
}

/** Runs `listener` each time the language changes (the scripts redraw their words). */
export function onLangChange(listener: (lang: Lang) => void): void {
  listeners.add(listener);
}

/**
 * Adds the English / Español switch to the top bar and shows the page in the saved language. Call
 * it first, before the scripts write their words and before the elements' first update.
 */
export function mountLangSwitch(): void {
  const group = document.createElement('div');
  group.className = 'lang';
  group.setAttribute('role', 'group');
  for (const [code, name] of [
    ['en', 'English'],
    ['es', 'Español'],
  ] as const) {
    const button = document.createElement('button');
    button.type = 'button';
    button.lang = code;
    // the full name is the button's name; a phone shows its code
    const long = document.createElement('span');
    long.className = 'long';
    long.textContent = name;
    const short = document.createElement('span');
    short.className = 'short';
    short.setAttribute('aria-hidden', 'true');
    short.textContent = code.toUpperCase();
    button.append(long, short);
    button.addEventListener('click', () => {
      if (lang !== code) setLang(code);
    });
    group.append(button);
  }
  document.querySelector('.topbar')?.append(group);
  setLang(lang);
}
