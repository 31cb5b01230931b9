/**
 * Spanish (`lang="es"`, `es-MX`, `es-US`, …), addressing the user as *usted*, as health and
 * business software in Spanish usually does. Loaded only by a page that needs it.
 */
import type { Words } from './en.js';

export const es: Words = {
  yourAccount: 'su cuenta',
  connect: 'Conectar {provider}',
  connecting: 'Conectando…',
  severed: '¿No ve la ventana de inicio de sesión?',
  severedGroup: 'Ventana de inicio de sesión',
  reopen: 'Volver a abrir',
  cancel: 'Cancelar',
  signin: 'Inicie sesión para terminar de conectar {provider}.',
  announceConnecting: 'Conectando con {provider}…',
  announceSevered:
    'La ventana de inicio de sesión de {provider} está cerrada u oculta. Vuelva a abrirla o cancele.',
  announceExchanging: 'Terminando la conexión con {provider}…',
  announceConnected: 'Conectado con {provider}.',
  announceFailed: 'No se pudo conectar con {provider}: {reason}',
  cancelled: 'Se canceló el inicio de sesión o se denegó el acceso.',
  blocked:
    'Se bloqueó la ventana de inicio de sesión. Permita las ventanas emergentes de este sitio y vuelva a intentarlo.',
  timeout: 'El inicio de sesión tardó demasiado. Vuelva a intentarlo.',
  expired: 'El inicio de sesión caducó. Empiece de nuevo.',
  unauthorized: 'No se pudo verificar la respuesta, así que no se envió nada. Vuelva a intentarlo.',
  exchangeFailed: 'No se pudo completar la conexión. Vuelva a intentarlo más tarde.',
  invalidConfig: 'Esta conexión no está bien configurada.',
  error: 'Algo salió mal. Vuelva a intentarlo.',
  healthConnected: 'Conectado con {name}',
  healthChecking: 'Comprobando la conexión…',
  healthUnknown: 'Se desconoce el estado de la conexión.',
  reconnect: 'Volver a conectar',
  disconnect: 'Desconectar',
  disconnecting: 'Desconectando…',
  disconnectFailed: 'No se pudo desconectar: {problem}',
};
