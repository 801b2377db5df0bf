/** An order id as the API hands them out (a UUID, any version); anything else is simply not found. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isOrderId = (text: string): boolean => UUID.test(text);
