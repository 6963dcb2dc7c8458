<?php
/*
 * Adds the connector's column, panel, buttons and tab to OpenCart's own rendered admin pages, from
 * view "after" events, so no core file is edited. Shared by the OpenCart 3 and 4 packages; each
 * version passes its own markup (Bootstrap 3 or 5). Every insertion is anchored on markup the
 * release renders; when an anchor is missing the page is returned unchanged rather than broken.
 */
namespace OcXeroConnector;

class ViewPatch {
	/**
	 * Adds a column before the last one (OpenCart's "Action") of the order list table; the rows
	 * are found by their selected[] checkbox.
	 *
	 * @param callable $cell fn(int $orderId): string the <td> of one row
	 */
	public static function orderListColumn(string $html, string $headCell, callable $cell): string {
		$theadStart = stripos($html, '<thead');
		$theadEnd = stripos($html, '</thead>');
		if ($theadStart === false || $theadEnd === false) {
			return $html;
		}
		$head = substr($html, $theadStart, $theadEnd - $theadStart);
		// 4.x heads use <th>, 3.x <td>: the last cell of either kind.
		if (!preg_match_all('#<t[hd][\s>]#i', $head, $cells, PREG_OFFSET_CAPTURE)) {
			return $html;
		}
		$lastTh = end($cells[0])[1];
		$head = substr($head, 0, $lastTh) . $headCell . substr($head, $lastTh);
		$html = substr($html, 0, $theadStart) . $head . substr($html, $theadEnd);

		$tbodyStart = stripos($html, '<tbody', $theadStart);
		$tbodyEnd = $tbodyStart === false ? false : stripos($html, '</tbody>', $tbodyStart);
		if ($tbodyStart === false || $tbodyEnd === false) {
			return $html;
		}
		$body = substr($html, $tbodyStart, $tbodyEnd - $tbodyStart);
		$body = preg_replace_callback('#<tr\b[^>]*>.*?</tr>#is', function ($m) use ($cell) {
			$row = $m[0];
			if (preg_match('#name="selected\[\]"\s+value="(\d+)"#i', $row, $id)) {
				$last = strripos($row, '<td');
				return substr($row, 0, $last) . $cell((int)$id[1]) . substr($row, $last);
			}
			// The "no results" row spans the table: one column more.
			return preg_replace_callback('#colspan="(\d+)"#i', function ($c) {
				return 'colspan="' . ((int)$c[1] + 1) . '"';
			}, $row, 1);
		}, $body);
		return substr($html, 0, $tbodyStart) . $body . substr($html, $tbodyEnd);
	}

	/** Position of the first $needle at or after the first $after (both case-insensitive), or false. */
	private static function find(string $html, string $needle, string $after) {
		$from = $after === '' ? 0 : stripos($html, $after);
		return $from === false ? false : stripos($html, $needle, $from);
	}

	/** Inserts after the first $needle found at or after the first $after (both case-insensitive). */
	public static function insertAfter(string $html, string $needle, string $insert, string $after = ''): string {
		$pos = self::find($html, $needle, $after);
		if ($pos === false) {
			return $html;
		}
		$end = $pos + strlen($needle);
		return substr($html, 0, $end) . $insert . substr($html, $end);
	}

	/** Inserts before the first $needle found at or after the first $after. */
	public static function insertBefore(string $html, string $needle, string $insert, string $after = ''): string {
		$pos = self::find($html, $needle, $after);
		return $pos === false ? $html : substr($html, 0, $pos) . $insert . substr($html, $pos);
	}

	/** Inserts before the last $needle (e.g. the page's closing </body> or footer). */
	public static function insertBeforeLast(string $html, string $needle, string $insert): string {
		$pos = strripos($html, $needle);
		if ($pos === false) {
			return $html . $insert;
		}
		return substr($html, 0, $pos) . $insert . substr($html, $pos);
	}

	/**
	 * Adds a tab to the first tab strip of a form (the product form's General/Data/… tabs): the
	 * link at the end of the first <ul class="nav nav-tabs">, the pane at the start of the first
	 * <div class="tab-content"> after it.
	 */
	public static function addTab(string $html, string $tabLink, string $pane, string $after = ''): string {
		$from = $after === '' ? 0 : stripos($html, $after);
		if ($from === false) {
			return $html;
		}
		$ul = stripos($html, 'nav-tabs', $from);
		if ($ul === false) {
			return $html;
		}
		$ulEnd = stripos($html, '</ul>', $ul);
		$content = stripos($html, 'class="tab-content"', $ul);
		if ($ulEnd === false || $content === false) {
			return $html;
		}
		$contentOpenEnd = strpos($html, '>', $content);
		if ($contentOpenEnd === false) {
			return $html;
		}
		$html = substr($html, 0, $contentOpenEnd + 1) . $pane . substr($html, $contentOpenEnd + 1);
		return substr($html, 0, $ulEnd) . $tabLink . substr($html, $ulEnd);
	}

	/**
	 * The browser side of Preview, shared by both versions: the API's preview (what the order would
	 * become in Xero) as a table of lines and OpenCart's total beside Xero's own arithmetic; the raw
	 * answer stays one click away. Defines xeroConnectorPreview(preview) → HTML.
	 */
	public static function previewScript(): string {
		return <<<'JS'
function xeroConnectorPreview(p) {
  function esc(v) { return $('<div>').text(v == null ? '' : String(v)).html(); }
  var o = (p.orders || [])[0] || {}, inv = o.invoice || {}, html = '';
  html += '<div id="xero-connector-preview-result">';
  html += '<p><strong>' + esc(o.invoiceNumber || '') + '</strong> ' + esc(o.outcome || o.action || '') + '</p>';
  if (inv.LineItems) {
    html += '<table class="table table-sm table-condensed"><thead><tr><th>Description</th><th class="text-end text-right">Qty</th><th class="text-end text-right">Unit</th><th>Account</th><th>Tax</th></tr></thead><tbody>';
    $.each(inv.LineItems, function (i, l) { html += '<tr><td>' + esc(l.Description) + '</td><td class="text-end text-right">' + esc(l.Quantity) + '</td><td class="text-end text-right">' + esc(l.UnitAmount) + '</td><td>' + esc(l.AccountCode) + '</td><td>' + esc(l.TaxType) + '</td></tr>'; });
    html += '</tbody></table>';
  }
  if (o.expected || o.xeroTotals) {
    var e = o.expected || {}, x = o.xeroTotals || {};
    html += '<table class="table table-sm table-condensed" id="xero-connector-preview-totals"><thead><tr><th></th><th class="text-end text-right">OpenCart</th><th class="text-end text-right">Xero</th></tr></thead><tbody>'
      + '<tr><th>Tax</th><td class="text-end text-right">' + esc(e.tax) + '</td><td class="text-end text-right">' + esc(x.tax) + '</td></tr>'
      + '<tr><th>Total</th><td class="text-end text-right">' + esc(e.total) + ' ' + esc(e.currency) + '</td><td class="text-end text-right" id="xero-connector-preview-xero-total">' + esc(x.total) + '</td></tr>'
      + '<tr><th>Difference</th><td></td><td class="text-end text-right">' + esc(o.difference) + '</td></tr></tbody></table>';
  }
  $.each((o.warnings || []).concat(p.failures || []), function (i, w) { html += '<div class="text-warning">' + esc(typeof w === 'string' ? w : (w.message || JSON.stringify(w))) + '</div>'; });
  html += '<details><summary>JSON</summary><pre>' + esc(JSON.stringify(p, null, 2)) + '</pre></details></div>';
  return html;
}
JS;
	}

	public static function e($s): string {
		return htmlspecialchars((string)$s, ENT_QUOTES, 'UTF-8');
	}
}
