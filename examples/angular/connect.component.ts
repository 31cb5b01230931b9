// Angular (illustrative: not type-checked here, it needs @angular/core). CUSTOM_ELEMENTS_SCHEMA
// lets the template use <oauth-connect>; (connected) / (failed) bind its events.
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
      exchange-url="/api/hcss/exchange"
      (connected)="onConnected($event)"
      (failed)="onFailed($event)"
      >Connect HCSS</oauth-connect
    >
  `,
})
export class ConnectComponent {
  // Angular types $event of a custom element's event as Event: narrow it here
  onConnected(event: Event) {
    console.log('connected', (event as ConnectedEvent).detail.result);
  }
  onFailed(event: Event) {
    console.warn((event as FailedEvent).detail.status);
  }
}
