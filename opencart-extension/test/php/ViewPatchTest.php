<?php
use OcXeroConnector\ViewPatch;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/../../src/common/library/view_patch.php';

final class ViewPatchTest extends TestCase {
	private const LIST = '<form id="form-order"><table><thead><tr><th><input type="checkbox"/></th><th>Order ID</th><th class="text-end">Action</th></tr></thead>'
		. '<tbody><tr><td><input type="checkbox" name="selected[]" value="5" /></td><td>5</td><td class="text-end"><a>view</a></td></tr>'
		. '<tr><td><input type="checkbox" name="selected[]" value="6"/></td><td>6</td><td><a>view</a></td></tr></tbody></table></form>';

	public function testAddsTheColumnBeforeActionForEveryRow(): void {
		$out = ViewPatch::orderListColumn(self::LIST, '<th>Xero</th>', function (int $id) { return '<td>x' . $id . '</td>'; });
		$this->assertStringContainsString('<th>Order ID</th><th>Xero</th><th class="text-end">Action</th>', $out);
		$this->assertStringContainsString('<td>5</td><td>x5</td><td class="text-end">', $out);
		$this->assertStringContainsString('<td>6</td><td>x6</td><td><a>view</a>', $out);
	}

	public function testOpenCart3HeadsWithTdCells(): void {
		$html = '<table><thead><tr><td class="text-center"><input type="checkbox"/></td><td>Order ID</td><td class="text-right">Action</td></tr></thead><tbody><tr><td><input type="checkbox" name="selected[]" value="9" /></td><td>9</td><td><div class="btn-group"><a>x</a></div></td></tr></tbody></table>';
		$out = ViewPatch::orderListColumn($html, '<td>Xero</td>', function (int $id) { return '<td>c' . $id . '</td>'; });
		$this->assertStringContainsString('<td>Order ID</td><td>Xero</td><td class="text-right">Action</td>', $out);
		$this->assertStringContainsString('<td>9</td><td>c9</td><td><div class="btn-group">', $out);
	}

	public function testNoResultsRowSpansOneMore(): void {
		$html = '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td class="text-center" colspan="9">No results!</td></tr></tbody></table>';
		$out = ViewPatch::orderListColumn($html, '<th>X</th>', function () { return '<td></td>'; });
		$this->assertStringContainsString('colspan="10"', $out);
	}

	public function testWithoutATableThePageIsUnchanged(): void {
		$this->assertSame('<div>nothing</div>', ViewPatch::orderListColumn('<div>nothing</div>', '<th/>', function () { return ''; }));
		$this->assertSame('<p>a</p>', ViewPatch::insertAfter('<p>a</p>', '<div class="float-end">', 'X', 'id="content"'));
	}

	public function testInsertsAfterTheAnchorFollowingAMarker(): void {
		$html = '<div class="float-end">header</div><div id="content"><div class="float-end">page</div></div>';
		$this->assertSame('<div class="float-end">header</div><div id="content"><div class="float-end">X page</div></div>', ViewPatch::insertAfter($html, '<div class="float-end">', 'X ', 'id="content"'));
		$this->assertSame('a</body>X</body>', ViewPatch::insertBeforeLast('a</body></body>', '</body>', 'X'));
		$this->assertSame('<p>1</p>S</body>', ViewPatch::insertBeforeLast('<p>1</p></body>', '</body>', 'S'));
	}

	public function testAddsATabLinkAndPane(): void {
		$html = '<form id="form-product"><ul class="nav nav-tabs"><li><a href="#tab-general">General</a></li></ul><div class="tab-content"><div id="tab-general" class="tab-pane active"></div></div></form>';
		$out = ViewPatch::addTab($html, '<li>Xero</li>', '<div id="tab-xero"></div>', 'id="form-product"');
		$this->assertSame('<form id="form-product"><ul class="nav nav-tabs"><li><a href="#tab-general">General</a></li><li>Xero</li></ul><div class="tab-content"><div id="tab-xero"></div><div id="tab-general" class="tab-pane active"></div></div></form>', $out);
	}

	public function testEscapes(): void {
		$this->assertSame('&lt;b&gt; &quot;x&quot; &#039;y&#039;', ViewPatch::e('<b> "x" \'y\''));
	}
}
