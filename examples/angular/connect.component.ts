// Angular: CUSTOM_ELEMENTS_SCHEMA lets the template use <oauth-connect>; (connected) / (failed) bind
// its events. With strictTemplates, $event is the package's ConnectedEvent / FailedEvent (it declares
// them in HTMLElementEventMap; without strictTemplates $event is `any`), so the handlers take them as
// they are. Compiled by Angular's AOT compiler (strictTemplates) in test/server/examples.test.mjs.
import { Component, CUSTOM_ELEMENTS_SCHEMA } from '@angular/core';
import 'oauth-connect';
import type { ConnectedEvent, FailedEvent } from 'oauth-connect';

@Component({
  selector: 'app-connect',
  standalone: true,
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <oauth-connect
      provider="hcss"
      client-id="YOUR_CLIENT_ID"
      redirect-uri="https://app.example.com/oauth/callback"
      exchange-url="/api/oauth"
      (connected)="onConnected($event)"
      (failed)="onFailed($event)"
      >Connect HCSS</oauth-connect
    >
    <p role="status">{{ message }}</p>
  `,
})
export class ConnectComponent {
  message = '';

  onConnected(event: ConnectedEvent) {
    console.log('connected', event.detail.result);
    this.message = 'Connected';
  }
  onFailed(event: FailedEvent) {
    this.message = `${event.detail.status}: ${event.detail.message}`;
  }
}
