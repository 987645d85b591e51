// Lab 6, layout: store what a scan reads together.
//
// `count_heavier` reads one field of every particle, and each particle is a whole cache
// line, so every particle costs a line from memory for four bytes of use. Chapter 6
// changes the layout, not the loop. Keep `Particle` and the methods of `Particles` as
// they are; change how `Particles` stores them. The grader counts simulated L1
// data-cache read misses per particle.

/// A particle as the simulation hands it over (one 64-byte record, shared by every version).
pub use crate::work::Particle;

/// Every particle of a simulation.
#[derive(Clone, Debug, Default)]
pub struct Particles {
    items: Vec<Particle>,
}

impl Particles {
    /// Stores `particles`, in order.
    pub fn new(particles: &[Particle]) -> Particles {
        Particles {
            items: particles.to_vec(),
        }
    }

    /// How many particles there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Particle `i`, as it was stored.
    ///
    /// # Panics
    ///
    /// If `i` is out of range.
    pub fn get(&self, i: usize) -> Particle {
        self.items[i]
    }

    /// How many particles are heavier than `mass`.
    pub fn count_heavier(&self, mass: f32) -> usize {
        self.items.iter().filter(|p| p.mass > mass).count()
    }
}
