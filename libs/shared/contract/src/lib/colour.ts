/** The two colours of a blue/green pair. Declared once: the config, the constructs and the operations import it. */
export const COLOURS = ['blue', 'green'] as const;
export type Colour = (typeof COLOURS)[number];

export const isColour = (value: unknown): value is Colour => value === 'blue' || value === 'green';

/** The other colour of the pair. */
export const otherColour = (colour: Colour): Colour => (colour === 'blue' ? 'green' : 'blue');
