import { describe, expect, it } from 'vitest';
import { defineComponent, h, reactive } from 'vue';
import { mount } from '@vue/test-utils';
import { NDialogProvider } from 'naive-ui';
import { SETTING_GROUPS, defaultSettings, settingFieldsOf } from '@oc-xero/sync-core/settings';
import SettingGroup from './setting-group.vue';

const mountGroup = (id: (typeof SETTING_GROUPS)[number]['id'], errors: Record<string, string> = {}) => {
  const draft = reactive(defaultSettings() as unknown as Record<string, unknown>);
  const sets: Array<[string, unknown]> = [];
  const group = SETTING_GROUPS.find((g) => g.id === id)!;
  const wrapper = mount(
    defineComponent({
      render: () =>
        h(NDialogProvider, null, {
          default: () =>
            h(SettingGroup, {
              group,
              draft,
              errorOf: (p: string) => errors[p],
              choices: { orderStatuses: [{ label: 'Complete', value: 'Complete' }] },
              onSet: (k: string, v: unknown) => sets.push([k, v]),
            }),
        }),
    }),
    { attachTo: document.body },
  );
  return { wrapper, sets };
};

describe('setting-group', () => {
  it('shows every setting of a group under its label, with its help', () => {
    for (const id of ['invoices', 'items', 'customers', 'connection', 'debug'] as const) {
      const { wrapper } = mountGroup(id);
      const labels = wrapper.findAll('label').map((l) => l.text());
      for (const f of settingFieldsOf(id)) {
        expect(labels).toContain(f.label);
        expect(wrapper.text()).toContain(f.help);
      }
      wrapper.unmount();
    }
  });

  it('puts the API error of a field under that field and points the input at it', () => {
    const { wrapper } = mountGroup('invoices', { invoiceNumberFormat: 'must contain {order_id}' });
    const input = wrapper.find('#s-invoiceNumberFormat');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(input.attributes('aria-describedby')).toContain('s-invoiceNumberFormat-error');
    expect(wrapper.find('#s-invoiceNumberFormat-error').text()).toBe('must contain {order_id}');
    wrapper.unmount();
  });

  it('edits a toggle as a switch named by its label and reports the change', async () => {
    const { wrapper, sets } = mountGroup('invoices');
    const sw = wrapper.find('[role="switch"][aria-label="Export zero-total orders"]');
    expect(sw.exists()).toBe(true);
    await sw.trigger('click');
    expect(sets).toEqual([['exportZeroTotalOrders', false]]);
    wrapper.unmount();
  });

  it('gives selects the combobox role and a listbox named after the field', () => {
    const { wrapper } = mountGroup('invoices');
    const combo = wrapper.find('#s-invoiceStatus');
    expect(combo.attributes('role')).toBe('combobox');
    expect(combo.attributes('aria-controls')).toBe('s-invoiceStatus-listbox');
    expect(combo.attributes('aria-expanded')).toBe('false');
    wrapper.unmount();
  });
});
