import { parseOpenCartJson } from './http-session.client';

describe('parseOpenCartJson', () => {
  it('reads the JSON after the PHP 8.2 deprecation notices 3.0.5.0 prints first', () => {
    const text =
      '<b>Deprecated</b>: Return type of Registry::get() should be compatible in <b>x.php</b>\n{"success":"ok","total":"2 item(s)"}';
    expect(parseOpenCartJson({ status: 200, text, location: null }, 'cart/add')).toEqual({
      success: 'ok',
      total: '2 item(s)',
    });
  });

  it('names the step and shows the start of the body when the answer is not JSON (a PHP fatal error)', () => {
    const text =
      '<b>Fatal error</b>: Uncaught TypeError: getMethods(): Argument #1 ($shipping_address) must be of type array';
    expect(() => parseOpenCartJson({ status: 200, text, location: null }, 'shipping_method.quote')).toThrow(
      /OpenCart shipping_method\.quote: HTTP 200, not JSON: <b>Fatal error<\/b>: Uncaught TypeError/,
    );
  });

  it('refuses an HTTP error even when the body holds braces', () => {
    expect(() => parseOpenCartJson({ status: 500, text: '{"error":1}', location: null }, 'confirm')).toThrow(
      /HTTP 500/,
    );
  });
});
